package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tablesync.checkpoint.Checkpoint;
import dev.tablesync.config.ConflictPolicy;
import dev.tablesync.config.Mapping;
import dev.tablesync.testsupport.TestConfig;

/**
 * A snapshot into a target without local loads ({@code local_infile=OFF}, MySQL's default) writes by
 * multi-row upserts: a target row in the snapshot's key range, there before or put there by someone
 * while the snapshot runs, is written under the conflict policy, never lost or silently overwritten.
 * What any faster path for an empty key range (plain INSERTs, a second writer) must keep.
 */
class SnapshotWithoutLocalLoadsTest {

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("nolocal");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    @BeforeEach
    void refuseLocalLoads() {
        fx.targetServer.execute(fx.targetDb, "SET GLOBAL local_infile = 0");
    }

    @AfterEach
    void restoreLocalLoads() {
        fx.targetServer.execute(fx.targetDb, "SET GLOBAL local_infile = 1");
    }

    /** Source rows 1..10 of {@code (id, v, updated_at)}; the target table exists, empty. */
    private static Mapping tenRows(String table, ConflictPolicy policy) {
        String ddl = "CREATE TABLE " + table + " (id INT PRIMARY KEY, v VARCHAR(20), updated_at DATETIME(6) NOT NULL,"
                + " INDEX (updated_at))";
        fx.numbers(10);
        fx.source(ddl, "INSERT INTO " + table + " SELECT n, CONCAT('src', n), '2024-01-01 10:00:00' FROM nums");
        fx.target(ddl);
        return TestConfig.edit(fx.mapping(table, table)).withConflict(policy).withBatchSize(4).build();
    }

    private static String value(String table, int id) {
        return new String(java.util.HexFormat.of().parseHex(fx.targetRows("SELECT v FROM " + table + " WHERE id = "
                + id).get(0).replaceAll("[\\[\\]]", "")), StandardCharsets.UTF_8);
    }

    /** After the snapshot's first batch committed, someone inserts row 7 on the target (a later batch's key). */
    private static RunObserver insertingRowSevenOnce(String table) {
        return new RunObserver() {
            private boolean done;

            @Override
            public void batchCommitted(Checkpoint checkpoint, WriteCounts batch) {
                if (!done) {
                    done = true;
                    fx.target("INSERT INTO " + table + " VALUES (7, 'concurrent', '2024-01-01 09:00:00')");
                }
            }
        };
    }

    @Test
    void shouldCopyEveryRowByteExactIntoAnEmptyTarget() {
        RunResult run = fx.runOk(tenRows("exact", ConflictPolicy.OVERWRITE));

        assertEquals(10, run.counts().inserted());
        fx.assertSameRows("SELECT * FROM exact ORDER BY id");
    }

    @Test
    void shouldKeepARowPutInTheRangeMidSnapshotUnderSkip() {
        Mapping m = tenRows("mid_skip", ConflictPolicy.SKIP);

        RunResult run = fx.run(m, insertingRowSevenOnce("mid_skip"), false);

        assertTrue(run.succeeded(), run.summary());
        assertEquals("concurrent", value("mid_skip", 7), "kept under skip");
        assertEquals(10, fx.targetCount("SELECT COUNT(*) FROM mid_skip"));
        assertEquals("src8", value("mid_skip", 8), "the rest of that batch was written");
    }

    @Test
    void shouldOverwriteARowPutInTheRangeMidSnapshotUnderOverwrite() {
        Mapping m = tenRows("mid_overwrite", ConflictPolicy.OVERWRITE);

        RunResult run = fx.run(m, insertingRowSevenOnce("mid_overwrite"), false);

        assertTrue(run.succeeded(), run.summary());
        fx.assertSameRows("SELECT * FROM mid_overwrite ORDER BY id");
    }

    @Test
    void shouldFailNamingTheKeyWhenARowPutInTheRangeMidSnapshotDiffersUnderError() {
        Mapping m = tenRows("mid_error", ConflictPolicy.ERROR);

        RunResult run = fx.run(m, insertingRowSevenOnce("mid_error"), false);

        assertFalse(run.succeeded(), "a duplicate key must not pass silently");
        String message = run.error().orElseThrow().getMessage();
        assertTrue(message.contains("row (id=7)") && message.contains("conflict policy 'error'"), message);
        assertEquals("concurrent", value("mid_error", 7));
        assertEquals(5, fx.targetCount("SELECT COUNT(*) FROM mid_error"), "the first batch and row 7, nothing more");
    }

    @Test
    void shouldKeepATargetRowThatWasInTheRangeBeforeTheSnapshotUnderSkip() {
        Mapping m = tenRows("before_skip", ConflictPolicy.SKIP);
        fx.target("INSERT INTO before_skip VALUES (3, 'target', '2024-01-01 09:00:00')");

        RunResult run = fx.runOk(m);

        assertEquals("target", value("before_skip", 3));
        assertEquals(9, run.counts().inserted());
        assertEquals(10, fx.targetCount("SELECT COUNT(*) FROM before_skip"));
    }
}
