package dev.tablesync.sync;

import dev.tablesync.testsupport.TestConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.tablesync.config.Mapping;
import dev.tablesync.sql.DataSources;

/**
 * Guarantee 5: a snapshot holds one batch in memory, never the table. A child JVM with a 32 MB
 * heap copies a table of about 100 MB; buffering the result set instead of streaming it fails.
 */
class SnapshotMemoryTest {

    static final String HEAP = "-Xmx32m";
    /**
     * The incremental re-read goes through the staged path, which holds each batch as rows and as load text at once:
     * at 32 MB it ran out of heap now and then (CI, MySQL and MariaDB), at 48 MB it keeps a margin of ~18 MB.
     */
    static final String INCREMENTAL_HEAP = "-Xmx48m";
    static final int ROWS = 100_000;

    @Test
    void shouldSnapshotTableFarLargerThanTheHeap() throws Exception {
        try (SyncFixture fx = bigTable("memory")) {
            String output = runInSmallHeap(fx, HEAP);
            assertTrue(output.contains("status=ok") && output.contains("inserted=" + ROWS), output);
            assertSameRows(fx);
        }
    }

    /**
     * The incremental phase holds a few batches too, not the rows read: every row of the same 100 MB table changed
     * within the window is read again through the staged write path, in {@link #INCREMENTAL_HEAP}.
     */
    @Test
    void shouldReadEveryRowOfTheTableAgainInTheIncrementalPhaseWithinTheSameHeap() throws Exception {
        try (SyncFixture fx = bigTable("memory_incr")) {
            RunResult snapshot = Probe.run(probeArgs(fx).toArray(String[]::new));
            assertTrue(snapshot.succeeded(), snapshot.summary());
            fx.source("UPDATE big SET updated_at = NOW(6)");
            Thread.sleep(Duration.ofSeconds(6).toMillis()); // past the commit delay, 5 s
            String output = runInSmallHeap(fx, INCREMENTAL_HEAP);
            assertTrue(output.contains("status=ok") && output.contains("updated=" + ROWS), output);
            assertSameRows(fx);
        }
    }

    private static SyncFixture bigTable(String name) throws Exception {
        SyncFixture fx = new SyncFixture(name);
        fx.numbers(ROWS);
        fx.source("CREATE TABLE big (id BIGINT PRIMARY KEY, pad VARCHAR(1000), updated_at DATETIME(6) NOT NULL"
                + " DEFAULT CURRENT_TIMESTAMP(6), INDEX (updated_at))",
                // Stamped in the past: the snapshot's own run then has nothing to read again in its incremental
                // phase, and the snapshot is measured alone.
                "INSERT INTO big (id, pad, updated_at) SELECT n, REPEAT(CHAR(65 + n % 26), 1000),"
                        + " '2024-01-01 00:00:00' FROM nums");
        return fx;
    }

    private static List<String> probeArgs(SyncFixture fx) {
        return List.of(fx.sourceServer.jdbcUrl(fx.sourceDb), fx.sourceServer.username(), fx.sourceServer.password(),
                fx.targetServer.jdbcUrl(fx.targetDb), fx.targetServer.username(), fx.targetServer.password());
    }

    /** One run in a child JVM with the heap option {@code heap}; its output, after checking it exited normally. */
    private static String runInSmallHeap(SyncFixture fx, String heap) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), heap, "-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        command.addAll(probeArgs(fx));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(5, TimeUnit.MINUTES), output);
        assertEquals(0, child.exitValue(), output);
        return output;
    }

    private static void assertSameRows(SyncFixture fx) throws Exception {
        assertEquals(fx.count(fx.sourceServer, fx.sourceDb, "SELECT SUM(CRC32(CONCAT(id, pad, updated_at))) FROM big"),
                fx.targetCount("SELECT SUM(CRC32(CONCAT(id, pad, updated_at))) FROM big"));
    }

    /** Runs in the small-heap child: one snapshot of {@code big}, its summary on stdout. */
    public static final class Probe {
        public static void main(String[] args) throws IOException {
            RunResult r = run(args);
            System.out.println(r.summary() + " maxHeap=" + Runtime.getRuntime().maxMemory());
            r.error().ifPresent(Throwable::printStackTrace);
            System.exit(r.succeeded() ? 0 : 1);
        }

        /** One run of mapping {@code big} between the servers the arguments name. */
        static RunResult run(String... args) throws IOException {
            DataSources ds = new DataSources(Map.of("source", DataSources.pool("source", args[0], args[1], args[2], 2),
                    "target", DataSources.pool("target", args[3], args[4], args[5], 2)));
            try (ds) {
                Mapping m = TestConfig.mapping("big", "source", "big", "target", "big");
                return new MappingRun(m, ds, SyncFixture.STATE_SCHEMA, new ChangeWindow("big"), RunObserver.NONE,
                        Clock.systemUTC()).execute(false);
            }
        }
    }
}
