package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import dev.tablesync.testsupport.TestServer;

/**
 * One thread changing a {@link VersionedTable} on the source without pause: single-row inserts, updates and
 * deletes, range updates, multi-statement transactions (some rolled back), primary key changes, and on request one
 * large transaction. Every statement stamps the rows it writes with the next value of one counter as their
 * {@code version}: a single writer commits in stamp order, so the log carries each row's versions in increasing
 * order, and a target that receives a version not above one it already had received a change twice.
 */
final class VersionedWriter implements AutoCloseable {

    private static final long PAUSE_MILLIS = 4;

    private final TestServer server;
    private final String database;
    private final AtomicLong stamp = new AtomicLong();
    private final AtomicLong nextId;
    private final Random random = new Random(42);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile CompletableFuture<Long> bigRequest;
    private volatile Throwable failure;
    private volatile int bigRows;

    VersionedWriter(TestServer server, String database, long rowsBefore) {
        this.server = server;
        this.database = database;
        this.nextId = new AtomicLong(rowsBefore + 1);
        this.thread = new Thread(this::loop, "versioned-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** The last stamp handed out: every change committed from now on carries a higher one. */
    long lastStamp() {
        return stamp.get();
    }

    /**
     * Has the writer commit, next, one transaction that updates rows 1 to {@code rows} and then rows 1 to
     * {@code rows / 4} again (so a key is written twice within it); the future completes with its first stamp once
     * it committed.
     */
    CompletableFuture<Long> requestBigTransaction(int rows) {
        bigRows = rows;
        CompletableFuture<Long> request = new CompletableFuture<>();
        bigRequest = request;
        return request;
    }

    private void loop() {
        try (Connection c = server.connect(database)) {
            while (running) {
                CompletableFuture<Long> big = bigRequest;
                if (big != null) {
                    bigRequest = null;
                    big.complete(big(c, bigRows));
                } else {
                    step(c);
                }
                Thread.sleep(PAUSE_MILLIS);
            }
        } catch (Throwable e) {
            failure = e;
        }
    }

    private void step(Connection c) throws SQLException {
        int dice = random.nextInt(100);
        if (dice < 35) {
            update(c, randomId());
        } else if (dice < 55) {
            insert(c, nextId.getAndIncrement());
        } else if (dice < 63) {
            delete(c, randomId());
        } else if (dice < 70) {
            rangeUpdate(c, randomId(), 10);
        } else if (dice < 75) {
            changeKey(c, randomId(), nextId.getAndIncrement());
        } else {
            transaction(c, dice < 80);
        }
    }

    /** Two to five statements in one transaction, one key possibly changed twice; rolled back when asked. */
    private void transaction(Connection c, boolean rollBack) throws SQLException {
        c.setAutoCommit(false);
        try {
            long id = randomId();
            update(c, id);
            insert(c, nextId.getAndIncrement());
            int more = random.nextInt(4);
            for (int i = 0; i < more; i++) {
                switch (random.nextInt(3)) {
                    case 0 -> update(c, id);
                    case 1 -> delete(c, randomId());
                    default -> changeKey(c, randomId(), nextId.getAndIncrement());
                }
            }
            if (rollBack) {
                c.rollback();
            } else {
                c.commit();
            }
        } finally {
            c.setAutoCommit(true);
        }
    }

    private long big(Connection c, int rows) throws SQLException {
        c.setAutoCommit(false);
        try {
            long first = stamp.incrementAndGet();
            execute(c, "UPDATE items SET version = ?, payload = CONCAT('big ', ?), amount = amount + 1"
                    + " WHERE id BETWEEN 1 AND ?", first, first, rows);
            long second = stamp.incrementAndGet();
            execute(c, "UPDATE items SET version = ?, payload = CONCAT('big again ', ?) WHERE id BETWEEN 1 AND ?",
                    second, second, rows / 4);
            c.commit();
            return first;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private void update(Connection c, long id) throws SQLException {
        long s = stamp.incrementAndGet();
        execute(c, "UPDATE items SET version = ?, payload = CONCAT('u ', ?), amount = amount + 0.25, grp = grp + 1"
                + " WHERE id = ?", s, s, id);
    }

    private void rangeUpdate(Connection c, long from, int count) throws SQLException {
        long s = stamp.incrementAndGet();
        execute(c, "UPDATE items SET version = ?, payload = CONCAT('r ', ?), touched = NOW(6) WHERE id BETWEEN ? AND ?",
                s, s, from, from + count - 1);
    }

    private void insert(Connection c, long id) throws SQLException {
        long s = stamp.incrementAndGet();
        execute(c, "INSERT INTO items (id, version, grp, payload, amount, touched) VALUES (?, ?, 0, CONCAT('i ', ?),"
                + " 1.50, NOW(6))", id, s, s);
    }

    private void delete(Connection c, long id) throws SQLException {
        stamp.incrementAndGet();
        execute(c, "DELETE FROM items WHERE id = ?", id);
    }

    /** Moves row {@code id} to key {@code newId}: the target must delete the old key and write the new one. */
    private void changeKey(Connection c, long id, long newId) throws SQLException {
        long s = stamp.incrementAndGet();
        execute(c, "UPDATE items SET id = ?, version = ?, payload = CONCAT('k ', ?) WHERE id = ?", newId, s, id, id);
    }

    /** Values are bound, in order. */
    private static void execute(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }

    private long randomId() {
        return 1 + (long) random.nextInt((int) Math.max(1, nextId.get() - 1));
    }

    /** Stops the writer and fails if it met an error (a test that stopped writing early would prove less). */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new AssertionError("the source writer failed", failure);
        }
    }
}
