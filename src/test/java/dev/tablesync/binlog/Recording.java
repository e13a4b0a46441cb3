package dev.tablesync.binlog;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.github.shyiko.mysql.binlog.network.SSLMode;

import dev.tablesync.sql.BinlogDialect;
import dev.tablesync.sql.Dialect;
import dev.tablesync.sql.ServerVersion;
import dev.tablesync.testsupport.TestServer;

/**
 * A subscriber that applies as a mapping would: changes are kept until their commit and dropped on a rollback;
 * it counts how often each first-column value was applied, and records commits and failures.
 */
final class Recording implements BinlogSubscriber {

    final String id;
    final String schema;
    final String table;
    final BinlogPosition from;
    final Map<Object, Integer> applied = new ConcurrentHashMap<>();
    final List<Object> order = new CopyOnWriteArrayList<>();
    final List<Exception> failures = new CopyOnWriteArrayList<>();
    final AtomicInteger commits = new AtomicInteger();
    final AtomicInteger rollbacks = new AtomicInteger();
    private final List<Object> pending = new ArrayList<>();
    /** When a change of this key arrives, {@link #held} opens and the stream's thread waits for {@link #release}. */
    volatile Object holdAt;
    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile BinlogPosition last;
    volatile Instant lastSourceTime;

    Recording(String id, String schema, String table, BinlogPosition from) {
        this.id = id;
        this.schema = schema;
        this.table = table;
        this.from = from;
        this.last = from;
    }

    @Override
    public String mappingId() {
        return id;
    }

    @Override
    public BinlogPosition position() {
        return last;
    }

    @Override
    public boolean follows(String s, String t) {
        return s.equals(schema) && t.equals(table);
    }

    @Override
    public synchronized void change(RowChange change) {
        Object key = (change.after() != null ? change.after() : change.before())[0];
        if (key.equals(holdAt)) {
            holdAt = null;
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pending.add(key);
    }

    @Override
    public synchronized void commit(BinlogPosition after, Instant sourceCommitTime) {
        for (Object key : pending) {
            applied.merge(key, 1, Integer::sum);
            order.add(key);
        }
        pending.clear();
        last = after;
        lastSourceTime = sourceCommitTime;
        commits.incrementAndGet();
    }

    @Override
    public synchronized void rollback() {
        pending.clear();
        rollbacks.incrementAndGet();
    }

    @Override
    public void failed(Exception cause) {
        failures.add(cause);
    }

    boolean reached(BinlogPosition p) {
        return last != null && last.includes(p);
    }

    static void await(BooleanSupplier condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    static BinlogDialect dialect(TestServer source) {
        return new BinlogDialect(ServerVersion.parse(Queries.one(source, Dialect.VERSION)));
    }

    /** Where the source's log ends now, with its GTIDs. */
    static BinlogPosition now(TestServer source) {
        BinlogDialect dialect = dialect(source);
        String server = Queries.one(source, dialect.serverIdentity());
        String gtids = Queries.one(source, dialect.currentGtids());
        List<List<String>> status = Queries.rows(source, dialect.logStatus());
        return new BinlogPosition(server, Optional.of(Gtids.parse(dialect.isMariaDb(), gtids == null ? "" : gtids)),
                status.get(0).get(0), Long.parseLong(status.get(0).get(1)));
    }

    static BinlogPosition withoutGtids(BinlogPosition p) {
        return new BinlogPosition(p.server(), Optional.empty(), p.file(), p.offset());
    }

    static StreamEndpoint endpoint(TestServer source, BinlogPosition p, long serverId) {
        return new StreamEndpoint(p.server(), source.host(), source.port(), source.username(), source.password(),
                SSLMode.PREFERRED, new ClientServerId(serverId));
    }
}
