package dev.tablesync.sync;

import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.tablesync.binlog.BinlogPosition;
import dev.tablesync.binlog.BinlogSubscriber;
import dev.tablesync.binlog.RowChange;
import dev.tablesync.schema.TableId;

/**
 * One binlog mapping's place on its source's shared stream: what the stream hands over waits in a BOUNDED queue
 * for the apply session's reader ({@link LogChanges}). Memory does not grow with a slow reader: a shared stream
 * that finds the queue full for a moment ({@link #awaitRoom}) detaches the mapping, which then catches up on a
 * stream of its own (whose full queue holds back only itself) and rejoins the shared one once level with it.
 * Rollbacks and failures always fit. Once the session has closed its queue, whatever the stream still hands over
 * is dropped, so leaving the stream never waits for a reader that is gone.
 */
final class LogQueue implements BinlogSubscriber {

    /** What the stream said, in its order. */
    sealed interface Item permits Change, Redefined, Commit, Rollback, Failed {
    }

    record Change(RowChange change) implements Item {
    }

    /** A DDL that may have changed the table's definition; its commit follows. */
    record Redefined(String statement) implements Item {
    }

    record Commit(BinlogPosition after, Instant sourceCommitTime) implements Item {
    }

    record Rollback() implements Item {
    }

    record Failed(Exception cause) implements Item {
    }

    private static final Pattern DDL = Pattern.compile(
            "\\b(alter|rename|drop|create|truncate)\\b");

    private final String mappingId;
    private final TableId table;
    private final BinlogPosition from;
    private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();
    /** Room for changes, DDL notes and commits; taken by the stream, given back by the reader. */
    private final Semaphore room;
    private volatile boolean closed;

    /**
     * @param mappingId the mapping, for the stream's messages
     * @param table    the source table, schema-qualified
     * @param from     the mapping's saved position: the stream hands over only what it does not include
     * @param capacity how many items may wait
     */
    LogQueue(String mappingId, TableId table, BinlogPosition from, int capacity) {
        this.mappingId = mappingId;
        this.table = table;
        this.from = from;
        this.room = new Semaphore(capacity);
    }

    @Override
    public String mappingId() {
        return mappingId;
    }

    @Override
    public BinlogPosition position() {
        return from;
    }

    @Override
    public boolean follows(String schema, String name) {
        return table.schema().map(schema::equalsIgnoreCase).orElse(false) && table.table().equalsIgnoreCase(name);
    }

    /**
     * A DDL statement (ALTER, RENAME, DROP, CREATE, TRUNCATE) that names the table, quoted or not: qualified with
     * its schema, or unqualified while its schema is the statement's default. A false match only ends an apply
     * session early; a missed one would decode rows with a stale definition.
     */
    @Override
    public boolean mayChange(String database, String statement) {
        String sql = statement.toLowerCase(Locale.ROOT);
        if (!DDL.matcher(sql).find()) {
            return false;
        }
        String schema = table.schema().orElse("").toLowerCase(Locale.ROOT);
        String name = "`?" + Pattern.quote(table.table().toLowerCase(Locale.ROOT)) + "`?($|[^a-z0-9_$])";
        boolean qualified = Pattern.compile("(^|[^a-z0-9_$])`?" + Pattern.quote(schema) + "`?\\s*\\.\\s*" + name)
                .matcher(sql).find();
        boolean unqualified = schema.equalsIgnoreCase(database == null ? "" : database)
                && Pattern.compile("(^|[^a-z0-9_$.`])" + name).matcher(sql).find();
        return qualified || unqualified;
    }

    @Override
    public boolean awaitRoom(long millis) {
        try {
            if (closed) {
                return true; // whatever comes is dropped
            }
            if (room.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
                room.release();
                return true;
            }
            return closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    @Override
    public void definitionChanged(String statement) {
        put(new Redefined(statement));
    }

    @Override
    public void change(RowChange change) {
        put(new Change(change));
    }

    @Override
    public void commit(BinlogPosition after, Instant sourceCommitTime) {
        put(new Commit(after, sourceCommitTime));
    }

    @Override
    public void rollback() {
        items.add(new Rollback());
    }

    @Override
    public void failed(Exception cause) {
        items.add(new Failed(cause));
    }

    /** The next item, waiting at most {@code millis}; null when none came. */
    Item poll(long millis) throws InterruptedException {
        Item item = items.poll(millis, TimeUnit.MILLISECONDS);
        if (item instanceof Change || item instanceof Redefined || item instanceof Commit) {
            room.release();
        }
        return item;
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    /** The session ends: nothing more is queued, and a stream thread waiting for room goes on. */
    void close() {
        closed = true;
        items.clear();
    }

    /** Waits for room (holding back only a private stream: a shared one detached the mapping already). */
    private void put(Item item) {
        try {
            while (!closed) {
                if (room.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    items.add(item);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
