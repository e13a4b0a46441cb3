package dev.tablesync.sync;

import dev.tablesync.testsupport.TestConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.config.ConflictPolicy;
import dev.tablesync.config.Mapping;

/** Each conflict policy against rows that already exist in the target. */
class ConflictPolicyTest {

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("conflict");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    /** Source rows 1..3; the target already has row 1 older and row 2 newer, both with other values. */
    private static Mapping prepare(String table, ConflictPolicy policy) {
        String ddl = "CREATE TABLE " + table + " (id INT PRIMARY KEY, v VARCHAR(10), updated_at DATETIME(6) NOT NULL,"
                + " INDEX (updated_at))";
        fx.source(ddl, "INSERT INTO " + table + " VALUES (1, 'src1', '2024-01-01 10:00:00.000002'),"
                + " (2, 'src2', '2024-01-01 10:00:00.000002'), (3, 'src3', '2024-01-01 10:00:00')");
        fx.target(ddl, "INSERT INTO " + table + " VALUES (1, 'tgt1', '2024-01-01 10:00:00.000001'),"
                + " (2, 'tgt2', '2024-01-01 10:00:00.000003')");
        return TestConfig.edit(fx.mapping(table, table)).withConflict(policy).build();
    }

    private static String value(String table, int id) {
        return fx.targetRows("SELECT v FROM " + table + " WHERE id = " + id).get(0);
    }

    private static String hex(String text) {
        return "[" + java.util.HexFormat.of().formatHex(text.getBytes()) + "]";
    }

    @Test
    void shouldOverwriteExistingRowsWithSourceRows() {
        RunResult run = fx.runOk(prepare("c_overwrite", ConflictPolicy.OVERWRITE));

        assertEquals(hex("src1"), value("c_overwrite", 1));
        assertEquals(hex("src2"), value("c_overwrite", 2));
        assertEquals(1, run.counts().inserted());
        assertEquals(2, run.counts().updated());
    }

    @Test
    void shouldKeepExistingTargetRowsWhenSkipping() {
        RunResult run = fx.runOk(prepare("c_skip", ConflictPolicy.SKIP));

        assertEquals(hex("tgt1"), value("c_skip", 1));
        assertEquals(hex("tgt2"), value("c_skip", 2));
        assertEquals(hex("src3"), value("c_skip", 3));
        assertEquals(1, run.counts().inserted());
        assertEquals(2, run.counts().unchanged());
    }

    @Test
    void shouldRefuseAnOlderSourceRowWhenNewerWins() {
        fx.runOk(prepare("c_newer", ConflictPolicy.NEWER_WINS));

        assertEquals(hex("src1"), value("c_newer", 1), "source is newer: overwritten");
        assertEquals(hex("tgt2"), value("c_newer", 2), "target is newer: kept");
        assertEquals(fx.targetRows("SELECT updated_at FROM c_newer WHERE id = 2").get(0),
                hex("2024-01-01 10:00:00.000003"), "tracking column kept with its row");
    }

    @Test
    void shouldFailNamingTheKeyWhenAnExistingRowDiffersUnderPolicyError() {
        RunResult run = fx.run(prepare("c_error", ConflictPolicy.ERROR));

        assertFalse(run.succeeded());
        String message = run.error().orElseThrow().getMessage();
        assertTrue(message.contains("row (id=1)") && message.contains("[v, updated_at]"), message);
        assertEquals(2, fx.targetCount("SELECT COUNT(*) FROM c_error"), "nothing of the batch was written");
    }

    @Test
    void shouldAcceptIdenticalExistingRowsUnderPolicyError() {
        Mapping m = prepare("c_error_same", ConflictPolicy.ERROR);
        fx.target("DELETE FROM c_error_same", "INSERT INTO c_error_same VALUES (1, 'src1', '2024-01-01 10:00:00.000002')");

        RunResult run = fx.runOk(m);

        assertEquals(2, run.counts().inserted());
        assertEquals(1, run.counts().unchanged());
    }
}
