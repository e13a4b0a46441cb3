package dev.tablesync.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.github.shyiko.mysql.binlog.network.ServerException;

import dev.tablesync.sql.BinlogGapException;
import dev.tablesync.sql.SqlErrors;
import dev.tablesync.testsupport.TestServer;
import dev.tablesync.testsupport.TestServers;

/**
 * A position that is no longer on the source is never skipped: that subscriber fails with a message naming its
 * position, the oldest one the server has and the fix, and the others on the same stream carry on.
 */
class BinlogGapTest {

    static final String DB = "binlog_gap";
    static TestServer source;
    static boolean mariadb;

    @BeforeAll
    static void setUp() {
        source = TestServers.get().source();
        mariadb = source.flavor().equals("mariadb");
        source.recreateDatabase(DB);
        source.execute(DB, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))");
    }

    private static void assertGap(Recording r, String why) {
        assertEquals(1, r.failures.size(), r.id + ": " + r.failures);
        BinlogGapException gap = assertInstanceOf(BinlogGapException.class, r.failures.get(0));
        String m = gap.getMessage();
        assertTrue(m.startsWith("The binlog position of mapping '" + r.id + "' is no longer on source "), m);
        assertTrue(m.contains("the mapping stands at " + r.from + ", the oldest position the server still has is "
                + gap.oldestAvailable() + "; " + why), m);
        assertTrue(m.endsWith("copy the table again, with tablesync.mappings." + r.id + ".on-binlog-gap=resnapshot"
                + " (the mapping then does it by itself) or by resetting the mapping (POST /api/mappings/" + r.id
                + "/reset)."), m);
        assertEquals("binlog_gap", SqlErrors.category(gap).label());
        assertEquals(Map.of(), r.applied, "nothing applied past the gap");
        assertEquals(0, r.commits.get(), "the position never moved");
    }

    @Test
    void shouldFailOnlyTheSubscribersWhosePositionWasPurgedAndServeTheOthers() throws Exception {
        BinlogPosition before = Recording.now(source);
        source.execute(DB, "INSERT INTO t VALUES (1, 'lost')", "FLUSH BINARY LOGS", "INSERT INTO t VALUES (2, 'x')");
        BinlogPosition current = Recording.now(source);
        String oldest = purgeTo(current.file());
        assertEquals(current.file(), oldest, "the test purged the files before the current one");

        Recording byGtids = new Recording("orders", DB, "t", before);
        Recording byFile = new Recording("invoices", DB, "t", Recording.withoutGtids(before));
        Recording fresh = new Recording("fresh", DB, "t", current);
        try (SourceStreams streams = new SourceStreams()) {
            streams.join(Recording.endpoint(source, current, 3_000_000_401L), byGtids);
            streams.join(Recording.endpoint(source, current, 3_000_000_401L), byFile);
            streams.join(Recording.endpoint(source, current, 3_000_000_401L), fresh);
            source.execute(DB, "INSERT INTO t VALUES (3, 'new')");
            BinlogPosition end = Recording.now(source);
            Recording.await(() -> fresh.reached(end), Duration.ofSeconds(30));
            assertEquals(List.of(3), fresh.order, "the subscriber whose position is there carries on");
            assertEquals(List.of(), fresh.failures);
        }
        assertGap(byGtids, mariadb ? "the server purged transactions the mapping has not applied yet"
                : "the server purged transactions the mapping has not applied yet");
        assertGap(byFile, "the file " + before.file() + " is no longer listed by SHOW BINARY LOGS (purged, or the log"
                + " was reset)");
        assertTrue(byGtids.failures.get(0).getMessage().contains(oldest + ":4"), "names the oldest file: "
                + byGtids.failures.get(0).getMessage());
    }

    /**
     * Purges the files before {@code file}. MariaDB keeps a file while InnoDB may still need it for crash recovery
     * (until its binlog checkpoint) or a dump thread reads it (a closed stream's until the server notices): retried.
     */
    private static String purgeTo(String file) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String oldest;
        do {
            source.execute(DB, "PURGE BINARY LOGS TO '" + file + "'");
            oldest = Queries.rows(source, "SHOW BINARY LOGS").get(0).get(0);
            if (!oldest.equals(file)) {
                Thread.sleep(200);
            }
        } while (!oldest.equals(file) && System.nanoTime() < deadline);
        return oldest;
    }

    @Test
    void shouldFailAPositionTheServerNeverWroteAsAReplacedOrResetServer() throws Exception {
        BinlogPosition current = Recording.now(source);
        String ahead = mariadb ? current.gtids().get().text().replaceAll("-([0-9]+)$", "") + "" : "";
        Gtids future = mariadb ? Gtids.parse(true, bumpMariadb(current.gtids().get().text()))
                : Gtids.parse(false, current.gtids().get().text() + (current.gtids().get().text().isEmpty() ? "" : ",")
                        + "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");
        Recording replaced = new Recording("orders", DB, "t",
                new BinlogPosition(current.server(), Optional.of(future), current.file(), current.offset()));
        String otherServer = mariadb ? "mariadb:99:0123456789ab" : "mysql:3e11fa47-71ca-11e1-9e33-c80aa9429562";
        Recording otherFile = new Recording("invoices", DB, "t",
                new BinlogPosition(otherServer, Optional.empty(), current.file(), current.offset()));
        Recording fresh = new Recording("fresh", DB, "t", current);
        try (SourceStreams streams = new SourceStreams()) {
            for (Recording r : List.of(replaced, otherFile, fresh)) {
                streams.join(Recording.endpoint(source, current, 3_000_000_402L), r);
            }
            source.execute(DB, "INSERT INTO t VALUES (4, 'new')");
            BinlogPosition end = Recording.now(source);
            Recording.await(() -> fresh.reached(end), Duration.ofSeconds(30));
            assertEquals(List.of(4), fresh.order);
        }
        assertGap(replaced, "the server has not written transactions the mapping applied (it has GTIDs '");
        assertTrue(replaced.failures.get(0).getMessage().contains("'): another server's log, or it was reset (RESET"
                + " MASTER)"), replaced.failures.get(0).getMessage());
        assertGap(otherFile, "the position is of another server (" + otherServer + ", this is " + current.server()
                + "), and without GTIDs a position cannot be found in another server's log");
        assertTrue(ahead != null);
    }

    private static String bumpMariadb(String text) {
        if (text.isEmpty()) {
            return "0-1-1000000";
        }
        StringBuilder out = new StringBuilder();
        for (String part : text.split(",")) {
            String[] g = part.split("-");
            out.append(out.length() == 0 ? "" : ",").append(g[0]).append('-').append(g[1]).append('-')
                    .append(Long.parseLong(g[2]) + 1_000_000);
        }
        return out.toString();
    }

    /** The server's own "error 1236" fails every subscriber with a gap naming the server's words. */
    @Test
    void shouldMapTheServersLostPositionErrorToAGap() throws SQLException {
        BinlogPosition current = Recording.now(source);
        EventDispatch dispatch = new EventDispatch(new StreamStats());
        Recording a = new Recording("orders", DB, "t", current);
        dispatch.add(a);
        try (SourceControl control = new SourceControl(Recording.endpoint(source, current, 3_000_000_403L), dispatch)) {
            control.check(new ServerException("Could not find first log file name in binary log index file", 1236,
                    "HY000"));
        }
        assertGap(a, "the server refused to stream from it: \"Could not find first log file name in binary log index"
                + " file\"");
        assertInstanceOf(ServerException.class, a.failures.get(0).getCause());
        assertTrue(dispatch.isEmpty(), "the failed subscriber left the stream");
    }

    /** A 1236 that does not mean a lost position (an oversized event) is retried, not taken for a gap. */
    @Test
    void shouldNotTakeAnother1236ForAGap() throws SQLException {
        BinlogPosition current = Recording.now(source);
        EventDispatch dispatch = new EventDispatch(new StreamStats());
        Recording a = new Recording("orders", DB, "t", current);
        dispatch.add(a);
        try (SourceControl control = new SourceControl(Recording.endpoint(source, current, 3_000_000_404L), dispatch)) {
            control.check(new ServerException("log event entry exceeded max_allowed_packet; Increase"
                    + " max_allowed_packet on source", 1236, "HY000"));
        }
        assertEquals(List.of(), a.failures);
        assertTrue(!dispatch.isEmpty());
    }
}
