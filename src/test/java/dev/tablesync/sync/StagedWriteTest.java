package dev.tablesync.sync;

import dev.tablesync.testsupport.TestConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.config.ConflictPolicy;
import dev.tablesync.config.Mapping;
import dev.tablesync.sql.DataSources;

/**
 * Incremental runs write through a session staging table (LOAD DATA LOCAL, then one INSERT ...
 * SELECT ... ON DUPLICATE KEY UPDATE): the same rows, counts and conflict outcomes as upserts,
 * upserts whenever the target refuses or does not load exactly, nothing left on a pooled connection.
 */
class StagedWriteTest {

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("staged");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    private static void localInfile(boolean on) {
        fx.targetServer.execute(fx.targetDb, "SET GLOBAL local_infile = " + (on ? 1 : 0));
    }

    private static void createTable(String table) {
        fx.source("CREATE TABLE " + table + " (id INT PRIMARY KEY, v VARCHAR(20),"
                + " updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
                + " INDEX (updated_at))");
    }

    /**
     * Rows 1..3 synced; then the target's row 1 is edited to be newer than any source change, row 2
     * older, and the source changes rows 1..3 (row 3 to exactly what the target then holds) and adds row 5.
     */
    private static SyncFixture.Counted conflictingChanges(String table, ConflictPolicy policy) {
        createTable(table);
        fx.source("INSERT INTO " + table + " (id, v, updated_at) VALUES (1, 'a', '2024-01-01'), (2, 'b', '2024-01-01'),"
                + " (3, 'c', '2024-01-01')");
        Mapping m = TestConfig.edit(fx.mapping(table, table)).withConflict(policy).withBatchSize(2).build();
        fx.runOk(m);
        fx.target("UPDATE " + table + " SET v = 'tgt1', updated_at = '2999-01-01' WHERE id = 1",
                "UPDATE " + table + " SET v = 'tgt2', updated_at = '2000-01-01' WHERE id = 2");
        fx.source("UPDATE " + table + " SET v = CONCAT('src', id) WHERE id <= 3",
                "INSERT INTO " + table + " (id, v) VALUES (5, 'new')");
        fx.target("UPDATE " + table + " SET v = 'src3', updated_at = " + sourceStamp(table, 3) + " WHERE id = 3");
        return fx.runCounted(m, "Com_load");
    }

    /** The source row's updated_at as an SQL expression for the target. */
    private static String sourceStamp(String table, int id) {
        String hex = fx.sourceRows("SELECT DATE_FORMAT(updated_at, '%Y-%m-%d %H:%i:%s.%f') FROM " + table
                + " WHERE id = " + id).get(0);
        return "UNHEX('" + hex.substring(1, hex.length() - 1) + "')";
    }

    @Test
    void shouldResolveConflictsAndCountExactlyAsUpsertsUnderEveryPolicy() {
        Map<ConflictPolicy, WriteCounts> expected = Map.of(
                ConflictPolicy.OVERWRITE, new WriteCounts(1, 2, 1),
                ConflictPolicy.SKIP, new WriteCounts(1, 0, 3),
                ConflictPolicy.NEWER_WINS, new WriteCounts(1, 1, 2));
        for (ConflictPolicy policy : expected.keySet()) {
            String name = policy.name().toLowerCase();
            SyncFixture.Counted stagedRun = conflictingChanges("staged_" + name, policy);
            RunResult staged = stagedRun.run();
            assertTrue(stagedRun.target().get("Com_load") > 0, policy + ": staged incremental load");
            localInfile(false);
            try {
                RunResult upserted = conflictingChanges("upserted_" + name, policy).run();
                assertEquals(expected.get(policy), upserted.counts(), policy + " with upserts");
                assertEquals(upserted.counts(), staged.counts(), policy + " staged");
            } finally {
                localInfile(true);
            }
            // Rows changed on the source carry the time of the change; the year tells whose row was kept.
            String rows = "SELECT id, v, YEAR(updated_at) FROM %s_" + name + " ORDER BY id";
            assertEquals(fx.targetRows(rows.formatted("upserted")), fx.targetRows(rows.formatted("staged")),
                    policy.name());
        }
    }

    /** Source bytes into a latin1 target column, source text into a binary one: converted as an upsert would. */
    private static SyncFixture.Counted crossTyped(String table) {
        fx.source("CREATE TABLE " + table + " (id INT PRIMARY KEY, b VARBINARY(10),"
                + " t VARCHAR(10) CHARACTER SET utf8mb4, updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
                + " ON UPDATE CURRENT_TIMESTAMP(6), INDEX (updated_at))");
        fx.target("CREATE TABLE " + table + " (id INT PRIMARY KEY, b VARCHAR(10) CHARACTER SET latin1,"
                + " t VARBINARY(10), updated_at DATETIME(6) NOT NULL, INDEX (updated_at))");
        Mapping m = fx.mapping(table.replace('_', '-'), table);
        fx.runOk(m);
        fx.source("INSERT INTO " + table + " (id, b, t) VALUES (1, X'C3A9', '\u00e9'), (2, X'5C4E09', 'a\\tb')");
        return fx.runCounted(m, "Com_load");
    }

    @Test
    void shouldSendEachValueAsTextOrBytesByTheSourceColumnsKindAsUpsertsDo() {
        SyncFixture.Counted staged = crossTyped("cross_staged");
        assertEquals(2, staged.run().counts().inserted());
        assertEquals(1, staged.target().get("Com_load"));
        localInfile(false);
        try {
            assertEquals(2, crossTyped("cross_upserted").run().counts().inserted());
        } finally {
            localInfile(true);
        }
        String rows = "SELECT id, HEX(b), HEX(t) FROM %s ORDER BY id";
        List<String> upserted = fx.targetRows(rows.formatted("cross_upserted"));
        String c3a9 = java.util.HexFormat.of().formatHex("C3A9".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("[31, " + c3a9 + ", " + c3a9 + "]", upserted.get(0), "the latin1 column holds the source's"
                + " two bytes as two characters, the binary one the text's UTF-8 bytes");
        assertEquals(upserted, fx.targetRows(rows.formatted("cross_staged")));
    }

    @Test
    void shouldAcceptIdenticalRowsAndRefuseADifferentOneUnderPolicyErrorWritingNothingOfTheBatch() {
        createTable("c_error");
        Mapping m = TestConfig.edit(fx.mapping("c-error", "c_error")).withConflict(ConflictPolicy.ERROR).build();
        fx.runOk(m);
        fx.source("INSERT INTO c_error (id, v) VALUES (1, 'a'), (2, 'b')");
        fx.target("INSERT INTO c_error VALUES (1, 'a', " + sourceStamp("c_error", 1) + ")");
        assertEquals(new WriteCounts(1, 0, 1), fx.runOk(m).counts());

        fx.source("UPDATE c_error SET v = 'changed' WHERE id = 1", "INSERT INTO c_error (id, v) VALUES (3, 'c')");
        fx.target("UPDATE c_error SET v = 'target edit' WHERE id = 1");
        RunResult refused = fx.run(m);
        assertFalse(refused.succeeded());
        assertTrue(refused.error().orElseThrow().getMessage().contains("row (id=1)"), refused.summary());
        assertEquals(2, fx.targetCount("SELECT COUNT(*) FROM c_error"), "row 3 was not written either");
    }

    @Test
    void shouldGoOnWithUpsertsWhenTheTargetRefusesLocalLoadsMidRun() {
        createTable("refused_mid");
        Mapping m = TestConfig.edit(fx.mapping("refused-mid", "refused_mid")).withBatchSize(2).build();
        fx.runOk(m);
        fx.source("INSERT INTO refused_mid (id, v) VALUES (1,'a'),(2,'b'),(3,'c'),(4,'d'),(5,'e'),(6,'f')");
        RunObserver refuseFurtherLoads = new RunObserver() {
            @Override
            public void batchCommitted(dev.tablesync.checkpoint.Checkpoint checkpoint, WriteCounts batch) {
                localInfile(false);
            }
        };
        try {
            SyncFixture.Counted counted = fx.runCounted(m, refuseFurtherLoads, false, "Com_load");

            RunResult run = counted.run();
            assertTrue(run.succeeded(), run.summary());
            assertEquals(2, counted.target().get("Com_load"), "the first batch staged, the second refused, the rest"
                    + " upserted");
            assertEquals(6, run.counts().inserted());
            fx.assertSameRows("SELECT * FROM refused_mid ORDER BY id");
        } finally {
            localInfile(true);
        }
    }

    @Test
    void shouldNeverLetTheStagedLoadTruncateAValueTheTargetWouldRefuse() {
        createTable("narrow");
        fx.target("CREATE TABLE narrow (id INT PRIMARY KEY, v VARCHAR(3), updated_at DATETIME(6) NOT NULL,"
                + " INDEX (updated_at))");
        Mapping m = fx.mapping("narrow", "narrow");
        fx.source("INSERT INTO narrow (id, v) VALUES (1, 'abc'), (2, 'too long')");

        RunResult run = fx.run(m);

        // Since the target's column definitions are compared with the source's, refused before any row moves.
        assertFalse(run.succeeded(), "what the load would have truncated with a warning is refused");
        assertEquals(0, fx.targetCount("SELECT COUNT(*) FROM narrow"));
    }

    @Test
    void shouldResumeAfterAFailedStagedBatchWithoutLossOrDuplicates() {
        createTable("fail_staged");
        Mapping m = TestConfig.edit(fx.mapping("fail-staged", "fail_staged")).withBatchSize(2).build();
        fx.runOk(m);
        fx.target("CREATE TRIGGER refuse_four BEFORE INSERT ON fail_staged FOR EACH ROW"
                + " BEGIN IF NEW.id = 4 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'boom'; END IF; END");
        fx.source("INSERT INTO fail_staged (id, v) VALUES (1,'a'),(2,'b'),(3,'c'),(4,'d'),(5,'e')");
        SyncFixture.Counted counted = fx.runCounted(m, RunObserver.NONE, false, "Com_load");
        long loads = counted.target().get("Com_load");
        for (int i = 0; i < 5 && counted.run().succeeded() && counted.run().rowsRead() == 0; i++) {
            // a write still open elsewhere on the shared source holds the window back
            counted = fx.runCounted(m, RunObserver.NONE, false, "Com_load");
            loads += counted.target().get("Com_load");
        }
        RunResult failed = counted.run();
        assertFalse(failed.succeeded());
        assertEquals(2, loads, "batches (1,2) and (3,4) went through the staging table");
        assertEquals(2, fx.targetCount("SELECT COUNT(*) FROM fail_staged"), "batch (3,4) rolled back whole");
        assertEquals(2, failed.checkpoint().orElseThrow().rowsCopied());

        fx.target("DROP TRIGGER refuse_four");
        RunResult resumed = fx.runOk(m);
        assertEquals(3, resumed.rowsRead());
        assertEquals(3, resumed.counts().inserted());
        fx.assertSameRows("SELECT * FROM fail_staged ORDER BY id");
    }

    @Test
    void shouldStageTheColumnsTheTargetGainedFromSchemaDrift() {
        createTable("drifts");
        Mapping m = fx.mapping("drifts", "drifts");
        fx.source("INSERT INTO drifts (id, v) VALUES (1, 'a'), (2, 'b')");
        fx.runOk(m);
        fx.source("ALTER TABLE drifts ADD COLUMN extra VARBINARY(8) NULL AFTER v, ADD COLUMN n DECIMAL(6,2) NOT NULL"
                + " DEFAULT 1.25", "UPDATE drifts SET extra = X'00FF', n = 2.5 WHERE id = 2",
                "INSERT INTO drifts (id, v, extra) VALUES (3, 'c', X'5C09')");
        SyncFixture.Counted counted = fx.runCounted(m, "Com_load");

        RunResult run = counted.run();
        assertEquals("incremental", run.kind());
        assertEquals(1, counted.target().get("Com_load"));
        assertEquals(new WriteCounts(1, 1, 0), run.counts());
        fx.assertSameRows("SELECT * FROM drifts ORDER BY id");
    }

    @Test
    void shouldLeaveNoStagingTableOnThePooledConnection() throws Exception {
        createTable("pooled");
        try (DataSources oneConnection = new DataSources(Map.of(
                "source", DataSources.pool("source", fx.sourceServer.jdbcUrl(fx.sourceDb), fx.sourceServer.username(),
                        fx.sourceServer.password(), 1),
                "target", DataSources.pool("target", fx.targetServer.jdbcUrl(fx.targetDb), fx.targetServer.username(),
                        fx.targetServer.password(), 1)))) {
            Mapping m = fx.mapping("pooled", "pooled");
            ChangeWindow window = new ChangeWindow(m.id());
            assertTrue(new MappingRun(m, oneConnection, SyncFixture.STATE_SCHEMA, window, RunObserver.NONE,
                    Clock.systemUTC()).execute(false).succeeded());
            fx.source("INSERT INTO pooled (id, v) VALUES (1, 'a')");
            Thread.sleep(150); // INNODB_TRX lags commits by up to 100 ms, see SyncFixture.run
            long before = SyncFixture.sessionStatus(oneConnection, "target", "Com_load")[0];
            RunResult run = new MappingRun(m, oneConnection, SyncFixture.STATE_SCHEMA, window, RunObserver.NONE,
                    Clock.systemUTC()).execute(false);
            assertTrue(run.succeeded(), run.summary());
            assertEquals(1, SyncFixture.sessionStatus(oneConnection, "target", "Com_load")[0] - before,
                    "the pool's one connection staged the batch");

            try (Connection same = oneConnection.connect("target"); Statement st = same.createStatement()) {
                SQLException gone = assertThrows(SQLException.class,
                        () -> st.executeQuery("SELECT 1 FROM `" + fx.targetDb + "`.`" + StagedWriter.STAGING_TABLE
                                + "`"));
                assertEquals(1146, gone.getErrorCode(), gone.getMessage());
            }
        }
    }

    @Test
    void shouldNeverTouchAPermanentTableThatHasTheStagingTablesName() {
        createTable("beside");
        fx.target("CREATE TABLE " + StagedWriter.STAGING_TABLE + " (keep INT)",
                "INSERT INTO " + StagedWriter.STAGING_TABLE + " VALUES (42)");
        Mapping m = fx.mapping("beside", "beside");
        fx.runOk(m);
        fx.source("INSERT INTO beside (id, v) VALUES (1, 'a')");
        SyncFixture.Counted counted = fx.runCounted(m, "Com_load");

        assertEquals(1, counted.target().get("Com_load"), "staged in a temporary table of the same name");
        fx.assertSameRows("SELECT * FROM beside ORDER BY id");
        assertEquals(List.of("[3432]"), fx.targetRows("SELECT keep FROM " + StagedWriter.STAGING_TABLE));
    }

    @Test
    void shouldDeleteFlaggedRowsAndStageTheRestInOneTransaction() {
        fx.source("CREATE TABLE flagged (id INT PRIMARY KEY, v VARCHAR(20), is_deleted TINYINT(1) NOT NULL DEFAULT 0,"
                + " updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
                + " INDEX (updated_at))", "INSERT INTO flagged (id, v) VALUES (1, 'a'), (2, 'b')");
        Mapping m = TestConfig.edit(fx.mapping("flagged", "flagged")).withDeletes(java.util.Optional.empty(),
                dev.tablesync.config.DeleteMode.HARD).build();
        fx.runOk(m);
        fx.source("UPDATE flagged SET is_deleted = 1 WHERE id = 1", "UPDATE flagged SET v = 'b2' WHERE id = 2",
                "INSERT INTO flagged (id, v) VALUES (3, 'c')");
        SyncFixture.Counted counted = fx.runCounted(m, "Com_load");

        RunResult run = counted.run();
        assertEquals(1, counted.target().get("Com_load"));
        assertEquals(new WriteCounts(1, 1, 0, 1), run.counts());
        assertEquals(fx.sourceRows("SELECT id, v, updated_at FROM flagged WHERE is_deleted = 0 ORDER BY id"),
                fx.targetRows("SELECT id, v, updated_at FROM flagged ORDER BY id"));
        assertEquals(List.of(), fx.targetRows("SELECT id FROM flagged WHERE is_deleted = 1"));
    }
}
