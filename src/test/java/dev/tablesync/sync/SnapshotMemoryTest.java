package dev.tablesync.sync;

import dev.tablesync.testsupport.TestConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
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
    static final int ROWS = 100_000;

    @Test
    void shouldSnapshotTableFarLargerThanTheHeap() throws Exception {
        try (SyncFixture fx = new SyncFixture("memory")) {
            fx.numbers(ROWS);
            fx.source("CREATE TABLE big (id BIGINT PRIMARY KEY, pad VARCHAR(1000), updated_at DATETIME(6) NOT NULL"
                    + " DEFAULT CURRENT_TIMESTAMP(6), INDEX (updated_at))",
                    // Stamped in the past: the run's incremental phase then has nothing to read again, and the
                    // test measures the snapshot alone (a 69,000-row re-read once ran out of this heap, see README Limits).
                    "INSERT INTO big (id, pad, updated_at) SELECT n, REPEAT(CHAR(65 + n % 26), 1000),"
                            + " '2024-01-01 00:00:00' FROM nums");

            Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), HEAP, "-cp", System.getProperty("java.class.path"), Probe.class.getName(),
                    fx.sourceServer.jdbcUrl(fx.sourceDb), fx.sourceServer.username(), fx.sourceServer.password(),
                    fx.targetServer.jdbcUrl(fx.targetDb), fx.targetServer.username(), fx.targetServer.password()))
                    .redirectErrorStream(true).start();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(5, TimeUnit.MINUTES), output);

            assertEquals(0, child.exitValue(), output);
            assertTrue(output.contains("status=ok") && output.contains("inserted=" + ROWS), output);
            assertEquals(fx.count(fx.sourceServer, fx.sourceDb, "SELECT SUM(CRC32(CONCAT(id, pad))) FROM big"),
                    fx.targetCount("SELECT SUM(CRC32(CONCAT(id, pad))) FROM big"));
        }
    }

    /** Runs in the small-heap child: one snapshot of {@code big}, its summary on stdout. */
    public static final class Probe {
        public static void main(String[] args) throws IOException {
            DataSources ds = new DataSources(Map.of("source", DataSources.pool("source", args[0], args[1], args[2], 2),
                    "target", DataSources.pool("target", args[3], args[4], args[5], 2)));
            Mapping m = TestConfig.mapping("big", "source", "big", "target", "big");
            RunResult r = new MappingRun(m, ds, SyncFixture.STATE_SCHEMA, new ChangeWindow("big"), RunObserver.NONE,
                    Clock.systemUTC()).execute(false);
            System.out.println(r.summary() + " maxHeap=" + Runtime.getRuntime().maxMemory());
            r.error().ifPresent(Throwable::printStackTrace);
            ds.close();
            System.exit(r.succeeded() ? 0 : 1);
        }
    }
}
