package dev.tablesync.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.github.shyiko.mysql.binlog.network.SSLMode;

import dev.tablesync.sql.BinlogDialect;
import dev.tablesync.testsupport.TestServer;
import dev.tablesync.testsupport.TestServers;

/** Two mappings on one source share one binlog connection, and each gets exactly what it has not applied. */
class SharedStreamTest {

    static final String DB = "binlog_shared";
    static TestServer source;
    static boolean mariadb;

    @BeforeAll
    static void setUp() {
        source = TestServers.get().source();
        mariadb = source.flavor().equals("mariadb");
        source.recreateDatabase(DB);
        source.execute(DB, "CREATE TABLE a (id INT PRIMARY KEY, v VARCHAR(10))",
                "CREATE TABLE b (id INT PRIMARY KEY, v VARCHAR(10))");
    }

    static BinlogPosition now() {
        BinlogDialect dialect = new BinlogDialect(dev.tablesync.sql.ServerVersion.parse(Queries.one(source, "SELECT VERSION()")));
        String server = Queries.one(source, dialect.serverIdentity());
        String gtids = Queries.one(source, dialect.currentGtids());
        String file = Queries.one(source, dialect.logStatus());
        long offset = Long.parseLong(firstRowSecondColumn(dialect.logStatus()));
        return new BinlogPosition(server, Optional.of(Gtids.parse(mariadb, gtids)), file, offset);
    }

    private static String firstRowSecondColumn(String sql) {
        try (var c = source.connect(""); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(2);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static int dumpThreads() {
        return Integer.parseInt(Queries.one(source, BinlogDialect.DUMP_THREADS));
    }

    /**
     * Applies as a mapping would: changes are kept until their commit ({@code a:INSERT:2}, then {@code commit}) and
     * dropped on a rollback (the second subscriber's join restarts the stream, maybe inside a transaction).
     */
    static class Recorder implements BinlogSubscriber {
        final String table;
        final BinlogPosition from;
        final List<String> seen = new CopyOnWriteArrayList<>();
        final List<String> pending = new CopyOnWriteArrayList<>();
        volatile BinlogPosition last;

        Recorder(String table, BinlogPosition from) {
            this.table = table;
            this.from = from;
        }

        @Override
        public BinlogPosition position() {
            return from;
        }

        @Override
        public boolean follows(String schema, String t) {
            return schema.equals(DB) && t.equals(table);
        }

        @Override
        public void change(RowChange change) {
            pending.add(change.table().table() + ":" + change.kind() + ":" + change.after()[0]);
        }

        @Override
        public void commit(BinlogPosition after, Instant sourceCommitTime) {
            if (!pending.isEmpty()) {
                seen.addAll(pending);
                seen.add("commit");
                pending.clear();
            }
            last = after;
        }

        @Override
        public void rollback() {
            pending.clear();
        }

        @Override
        public void failed(Exception cause) {
            seen.add("failed: " + cause);
        }
    }

    @Test
    void shouldServeTwoMappingsThroughOneDumpThreadEachFromItsOwnPosition() throws Exception {
        BinlogPosition p0 = now();
        source.execute(DB, "INSERT INTO a VALUES (1, 'x')");
        BinlogPosition p1 = now();
        source.execute(DB, "INSERT INTO b VALUES (2, 'y')");
        try (var c = source.connect(DB); var s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("INSERT INTO a VALUES (3, 'z')");
            s.execute("INSERT INTO b VALUES (4, 'w')");
            c.commit();
        }
        BinlogPosition end = now();
        int before = dumpThreads();

        Recorder onA = new Recorder("a", p1); // has applied the first insert into a already
        Recorder onB = new Recorder("b", p0);
        StreamEndpoint endpoint = new StreamEndpoint(p0.server(), source.host(), source.port(), source.username(),
                source.password(), SSLMode.PREFERRED, new ClientServerId(3_000_000_123L));
        try (SourceStreams streams = new SourceStreams()) {
            streams.join(endpoint, onA);
            streams.join(endpoint, onB);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((onA.last == null || !onA.last.includes(end) || onB.last == null || !onB.last.includes(end))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            // b joined behind the stream: it caught up on a stream of its own, which ends once merged back
            await("one Binlog Dump thread for two subscribers", () -> dumpThreads() == before + 1);
            assertEquals(List.of("a:INSERT:3", "commit"), onA.seen);
            assertEquals(List.of("b:INSERT:2", "commit", "b:INSERT:4", "commit"), onB.seen);
            assertTrue(onA.last.includes(end) && onB.last.includes(end), onA.last + " / " + onB.last + " / " + end);
        }
        // The server notices the closed socket when it next sends, a heartbeat at the latest (1 s).
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (dumpThreads() != before && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(before, dumpThreads(), "the last subscriber to leave closes the stream");
    }

    static List<String> dumpThreadIds() {
        return Queries.column(source, "SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'"
                + " ORDER BY ID");
    }

    static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what + "; dump threads "
                    + dumpThreadIds());
            Thread.sleep(50);
        }
    }

    private static StreamEndpoint endpoint(BinlogPosition p, long serverId) {
        return new StreamEndpoint(p.server(), source.host(), source.port(), source.username(), source.password(),
                SSLMode.PREFERRED, new ClientServerId(serverId));
    }

    /** A mapping whose queue is full while {@code stuck}: it has no room, and what it is handed waits. */
    static final class Slow extends Recorder {
        volatile boolean stuck = true;

        Slow(String table, BinlogPosition from) {
            super(table, from);
        }

        @Override
        public boolean awaitRoom(long millis) {
            if (stuck) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return !stuck;
        }

        private void waitForRoom() {
            while (stuck) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        @Override
        public void change(RowChange change) {
            waitForRoom();
            super.change(change);
        }

        @Override
        public void commit(BinlogPosition after, Instant sourceCommitTime) {
            waitForRoom();
            super.commit(after, sourceCommitTime);
        }
    }

    @Test
    void shouldServeAMappingJoiningBehindOnAStreamOfItsOwnWithoutRestartingTheSharedOne() throws Exception {
        await("the streams of earlier tests ended", () -> dumpThreadIds().isEmpty());
        BinlogPosition p0 = now();
        source.execute(DB, "INSERT INTO b VALUES (10, 'j1')", "INSERT INTO a VALUES (11, 'j2')");
        BinlogPosition p1 = now();
        List<String> before = dumpThreadIds();
        Recorder first = new Recorder("a", p1);
        Recorder late = new Recorder("b", p0);
        try (SourceStreams streams = new SourceStreams()) {
            streams.join(endpoint(p0, 3_000_000_124L), first);
            await("the shared stream runs", () -> dumpThreadIds().size() == before.size() + 1);
            List<String> shared = dumpThreadIds();
            source.execute(DB, "INSERT INTO a VALUES (12, 'j3')");
            await("first applied", () -> first.seen.contains("a:INSERT:12"));

            streams.join(endpoint(p0, 3_000_000_124L), late); // behind: it catches up on its own
            source.execute(DB, "INSERT INTO b VALUES (13, 'j4')", "INSERT INTO a VALUES (14, 'j5')");
            await("late caught up", () -> late.seen.contains("b:INSERT:13"));
            await("first applied the later insert", () -> first.seen.contains("a:INSERT:14"));
            await("the private stream ended after the merge (" + shared + ")", () -> dumpThreadIds().equals(shared));
            source.execute(DB, "INSERT INTO b VALUES (15, 'j6')");
            await("late served by the shared stream", () -> late.seen.contains("b:INSERT:15"));

            assertEquals(List.of("a:INSERT:12", "commit", "a:INSERT:14", "commit"), first.seen,
                    "the first mapping's stream was not restarted: nothing handed again");
            assertEquals(List.of("b:INSERT:10", "commit", "b:INSERT:13", "commit", "b:INSERT:15", "commit"),
                    late.seen, "the late mapping got each of its transactions once");
            assertEquals(shared, dumpThreadIds(), "the shared Binlog Dump thread is the one it was");
        }
    }

    @Test
    void shouldDetachASlowMappingSoTheOtherKeepsUpAndMergeItBackOnceLevel() throws Exception {
        await("the streams of earlier tests ended", () -> dumpThreadIds().isEmpty());
        BinlogPosition p0 = now();
        List<String> before = dumpThreadIds();
        Recorder fast = new Recorder("a", p0);
        Slow slow = new Slow("b", p0);
        try (SourceStreams streams = new SourceStreams()) {
            streams.join(endpoint(p0, 3_000_000_125L), fast);
            streams.join(endpoint(p0, 3_000_000_125L), slow);
            await("the shared stream runs", () -> dumpThreadIds().size() == before.size() + 1);
            List<String> shared = dumpThreadIds();
            for (int i = 0; i < 20; i++) {
                source.execute(DB, "INSERT INTO a VALUES (" + (100 + i) + ", 'f')",
                        "INSERT INTO b VALUES (" + (100 + i) + ", 's')");
            }
            long started = System.nanoTime();
            await("the fast mapping applied everything", () -> fast.seen.contains("a:INSERT:119"));
            long millis = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(millis < 5_000, "the fast mapping waited " + millis + " ms for the slow one");
            org.jboss.logging.Logger.getLogger(SharedStreamTest.class).infof(
                    "the fast mapping applied 20 transactions %d ms after they were written, the slow one stuck", millis);
            assertTrue(slow.seen.size() < 40, "the slow mapping is behind: " + slow.seen.size());

            slow.stuck = false;
            await("the slow mapping caught up", () -> slow.seen.contains("b:INSERT:119"));
            await("merged back: one Binlog Dump thread again", () -> dumpThreadIds().equals(shared));
            List<String> expected = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                expected.add("b:INSERT:" + (100 + i));
                expected.add("commit");
            }
            assertEquals(expected, slow.seen, "each transaction once, in order");
            assertEquals(40, fast.seen.size(), "the fast mapping was not restarted: " + fast.seen);
        }
    }
}
