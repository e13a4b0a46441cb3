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
    static final class Recorder implements BinlogSubscriber {
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
            assertEquals(before + 1, dumpThreads(), "one Binlog Dump thread for two subscribers");
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
}
