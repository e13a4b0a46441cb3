package dev.tablesync.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.github.shyiko.mysql.binlog.BinaryLogClient;

import dev.tablesync.metrics.Metrics;
import dev.tablesync.metrics.StreamMeters;
import dev.tablesync.sql.BinlogDialect;
import dev.tablesync.testsupport.TestServer;
import dev.tablesync.testsupport.TestServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The stream's life on a real source: idle heartbeats, a killed connection, a server_id in use, its meters. */
class SourceStreamTest {

    static final String DB = "binlog_stream";
    static TestServer source;

    @BeforeAll
    static void setUp() {
        source = TestServers.get().source();
        source.recreateDatabase(DB);
        source.execute(DB, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(1000))",
                "CREATE TABLE other (id INT PRIMARY KEY)");
    }

    /** Source time of the server now, by its clock. */
    private static Instant serverNow() {
        long micros = Long.parseLong(Queries.one(source, BinlogDialect.SERVER_TIME_MICROS));
        return Instant.EPOCH.plusNanos(micros * 1000);
    }

    @Test
    void shouldTellAnIdleSubscriberItIsCompleteUpToAboutNowEverySecond() throws Exception {
        BinlogPosition start = Recording.now(source);
        Recording idle = new Recording("orders", DB, "t", start);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StreamMeters meters = new StreamMeters(registry);
        try (SourceStreams streams = new SourceStreams(meters::opened, meters::closed)) {
            SourceStream stream = streams.join(Recording.endpoint(source, start, 3_000_000_501L), idle);
            Thread.sleep(4500);
            Instant lastTime = idle.lastSourceTime;
            Duration behind = Duration.between(lastTime, serverNow());
            assertTrue(behind.compareTo(Duration.ofMillis(2000)) < 0 && !behind.isNegative(),
                    "complete up to " + lastTime + ", " + behind + " behind the server's clock");
            assertTrue(idle.commits.get() >= 3, "a commit about every second, got " + idle.commits.get());
            assertEquals(start, idle.last, "an idle source moves the time, not the position");
            assertEquals(Map.of(), idle.applied);

            String tag = source.host() + ":" + source.port();
            assertEquals(1.0, registry.get(Metrics.BINLOG_STREAM_CONNECTED).tag(Metrics.SOURCE, tag).gauge().value());
            assertEquals(0.0, registry.get(Metrics.BINLOG_BYTES_BEHIND).tag(Metrics.SOURCE, tag).gauge().value(),
                    "read to the end of the log");
            assertTrue(registry.get(Metrics.BINLOG_EVENTS).tag(Metrics.SOURCE, tag).functionCounter().count() > 0);
            assertEquals(0.0, registry.get(Metrics.BINLOG_RECONNECTS).tag(Metrics.SOURCE, tag).functionCounter()
                    .count());
            assertEquals(stream.stats().events(), (long) registry.get(Metrics.BINLOG_EVENTS).functionCounter().count());
        }
        assertTrue(registry.find(Metrics.BINLOG_STREAM_CONNECTED).meters().isEmpty(), "meters leave with the stream");
    }

    @Test
    void shouldReconnectAfterTheDumpThreadIsKilledWithoutLosingOrRepeatingATransaction() throws Exception {
        BinlogPosition start = Recording.now(source);
        Recording r = new Recording("orders", DB, "t", start);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StreamMeters meters = new StreamMeters(registry);
        try (SourceStreams streams = new SourceStreams(meters::opened, meters::closed)) {
            SourceStream stream = streams.join(Recording.endpoint(source, start, 3_000_000_502L), r);
            source.execute(DB, "INSERT INTO t VALUES (1, 'a')", "INSERT INTO t VALUES (2, 'b')");
            BinlogPosition two = Recording.now(source);
            Recording.await(() -> r.reached(two), Duration.ofSeconds(30));
            // A large transaction (20 MB, more than socket buffers hold); the subscriber holds the stream inside it while the dump thread is killed, so
            // the connection ends mid-transaction once the stream has read what the socket had buffered.
            r.holdAt = 1000 + 5_000;
            try (Connection c = source.connect(DB); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("INSERT INTO t SELECT 1000 + seq, REPEAT('x', 1000) FROM (" + sequence(20_000) + ") n");
                c.commit();
            }
            assertTrue(r.held.await(30, TimeUnit.SECONDS), "the stream reached the middle of the transaction");
            killDumpThreads();
            r.release.countDown();
            source.execute(DB, "INSERT INTO t VALUES (3, 'c')", "INSERT INTO t VALUES (4, 'd')");
            BinlogPosition end = Recording.now(source);
            Recording.await(() -> r.reached(end), Duration.ofSeconds(60));
            assertTrue(r.reached(end), "got to " + r.last + ", expected " + end);
            List<Object> twice = r.applied.entrySet().stream().filter(e -> e.getValue() != 1).map(Map.Entry::getKey)
                    .sorted().collect(Collectors.toList());
            assertEquals(0, twice.size(), "rows applied twice: " + twice.subList(0, Math.min(5, twice.size())) + " …");
            assertEquals(20_004, r.applied.size(), "every row applied");
            assertEquals(List.of(1, 2), r.order.subList(0, 2));
            assertEquals(List.of(3, 4), r.order.subList(20_002, 20_004));
            assertEquals(List.of(), r.failures);
            assertTrue(stream.stats().reconnects() >= 1, "reconnected");
            assertEquals((double) stream.stats().reconnects(),
                    registry.get(Metrics.BINLOG_RECONNECTS).functionCounter().count());
            assertEquals(1, r.rollbacks.get(), "the transaction open at the kill was rolled back once");
        }
    }

    private static String sequence(int n) {
        // 20,000 numbers from a cross join of digits, as both flavours can.
        String digits = "(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4"
                + " UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";
        return "SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d AS seq FROM " + digits + " a, " + digits
                + " b, " + digits + " c, " + digits + " e, " + digits + " f WHERE a.d + 10 * b.d + 100 * c.d + 1000"
                + " * e.d + 10000 * f.d < " + n;
    }

    private static void killDumpThreads() {
        List<String> ids = Queries.column(source,
                "SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'");
        assertTrue(!ids.isEmpty(), "a dump thread to kill");
        for (String id : ids) {
            source.execute(DB, "KILL " + id);
        }
    }

    @Test
    void shouldRefuseToStreamWithAServerIdAnotherStreamHoldsNamingTheIdAndItsKey() throws Exception {
        BinlogPosition start = Recording.now(source);
        try (SourceStreams one = new SourceStreams(); SourceStreams two = new SourceStreams()) {
            one.join(Recording.endpoint(source, start, 3_000_000_503L), new Recording("a", DB, "t", start));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> two.join(Recording.endpoint(source, start, 3_000_000_503L), new Recording("b", DB, "t", start)));
            assertTrue(e.getMessage().startsWith("The binlog client's server_id 3000000503 for source connection '"
                    + source.host() + ":" + source.port() + "' is already used by another tablesync process streaming"
                    + " this source's binlog"), e.getMessage());
            assertTrue(e.getMessage().contains("tablesync.binlog.server-id"), e.getMessage());
            two.join(Recording.endpoint(source, start, 3_000_000_504L), new Recording("b", DB, "t", start));
        }
    }

    /**
     * A client that ignores the claim (another tool, a replica configured by hand) connects with the stream's id:
     * the source ends the older dump thread, and the stream stops with an error naming the id and its key rather
     * than taking it back in an endless loop.
     */
    @Test
    void shouldStopNamingTheIdWhenAnotherClientTakesTheStreamsServerId() throws Exception {
        BinlogPosition start = Recording.now(source);
        Recording r = new Recording("orders", DB, "t", start);
        BinaryLogClient intruder = new BinaryLogClient(source.host(), source.port(), source.username(),
                source.password());
        intruder.setServerId(3_000_000_506L);
        intruder.setKeepAlive(false);
        try (SourceStreams streams = new SourceStreams()) {
            streams.join(Recording.endpoint(source, start, 3_000_000_506L), r);
            intruder.connect(10_000);
            Recording.await(() -> !r.failures.isEmpty(), Duration.ofSeconds(30));
        } finally {
            intruder.disconnect();
        }
        assertEquals(1, r.failures.size(), r.failures.toString());
        String m = r.failures.get(0).getMessage();
        assertTrue(m.startsWith("The binlog client's server_id 3000000506 for source " + source.host() + ":"
                + source.port()), m);
        assertTrue(m.contains("is used by another replica or binlog client") && m.contains("tablesync.binlog.server-id"),
                m);
    }

    @Test
    void shouldCountEventsOfOtherTablesAndMoveEverySubscribersTimeWithThem() throws Exception {
        BinlogPosition start = Recording.now(source);
        Recording r = new Recording("orders", DB, "t", start);
        try (SourceStreams streams = new SourceStreams()) {
            SourceStream stream = streams.join(Recording.endpoint(source, start, 3_000_000_505L), r);
            long before = stream.stats().events();
            IntStream.range(0, 5).forEach(i -> source.execute(DB, "INSERT INTO other VALUES (" + i + ")"));
            BinlogPosition end = Recording.now(source);
            Recording.await(() -> r.reached(end), Duration.ofSeconds(30));
            assertTrue(r.reached(end));
            assertTrue(stream.stats().events() - before >= 5 * 3, "gtid, table map, rows, xid per transaction");
            assertEquals(Map.of(), r.applied);
        }
    }
}
