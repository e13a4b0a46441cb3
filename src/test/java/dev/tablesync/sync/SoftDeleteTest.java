package dev.tablesync.sync;

import dev.tablesync.testsupport.TestConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.config.DeleteMode;
import dev.tablesync.config.Mapping;

/** Soft deletes on real servers: the flag copied, or the row deleted with the batch's checkpoint. */
class SoftDeleteTest {

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("softdel");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    private static void createTable(String name, String flag) {
        fx.source("CREATE TABLE `" + name + "` (id INT PRIMARY KEY, v VARCHAR(20), " + flag + ","
                + " updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
                + " INDEX (updated_at))",
                "INSERT INTO `" + name + "` (id, v) VALUES (1,'a'),(2,'b'),(3,'c'),(4,'d'),(5,'e')");
    }

    private static Mapping hard(String table) {
        return TestConfig.edit(fx.mapping(table.replace('_', '-'), table)).withDeletes(Optional.empty(), DeleteMode.HARD).build();
    }

    private static void assertTargetHoldsLiveSourceRows(String table, String live) {
        assertEquals(fx.sourceRows("SELECT * FROM `" + table + "` WHERE " + live + " ORDER BY id"),
                fx.targetRows("SELECT * FROM `" + table + "` ORDER BY id"));
    }

    @Test
    void shouldCopyTheFlagAndKeepTheRowInCopyMode() {
        createTable("copied_flag", "is_deleted TINYINT(1) NOT NULL DEFAULT 0");
        Mapping m = fx.mapping("copied-flag", "copied_flag");
        fx.runOk(m);
        fx.source("UPDATE copied_flag SET is_deleted = 1 WHERE id = 2");

        RunResult run = fx.runOk(m);

        assertEquals(1, run.counts().updated());
        assertEquals(0, run.counts().deleted());
        assertEquals(1, fx.targetCount("SELECT is_deleted FROM copied_flag WHERE id = 2"));
        fx.assertSameRows("SELECT * FROM copied_flag ORDER BY id");
    }

    @Test
    void shouldDeleteFlaggedRowsInHardModeIncludingRowsFlaggedBeforeTheSnapshot() {
        createTable("hard_del", "deleted_at DATETIME(6) NULL");
        fx.source("UPDATE hard_del SET deleted_at = NOW(6) WHERE id = 2");
        Mapping m = hard("hard_del");

        RunResult snapshot = fx.runOk(m);
        assertEquals("snapshot+incremental", snapshot.kind());
        assertEquals(4, snapshot.counts().inserted(), "row 2 was flagged before the snapshot: not copied");
        assertTargetHoldsLiveSourceRows("hard_del", "deleted_at IS NULL");

        fx.source("UPDATE hard_del SET deleted_at = NOW(6) WHERE id IN (3, 4)", "UPDATE hard_del SET v = 'x' WHERE id = 5");
        RunResult deleting = fx.runOk(m);
        assertEquals(2, deleting.counts().deleted());
        assertEquals(1, deleting.counts().updated());
        assertTargetHoldsLiveSourceRows("hard_del", "deleted_at IS NULL");
        assertEquals(2, fx.targetCount("SELECT COUNT(*) FROM hard_del"));

        fx.source("UPDATE hard_del SET deleted_at = NULL WHERE id = 3");
        RunResult undeleted = fx.runOk(m);
        assertEquals(1, undeleted.counts().inserted(), "the un-deleted row is copied again");
        assertTargetHoldsLiveSourceRows("hard_del", "deleted_at IS NULL");
    }

    @Test
    void shouldRecordDeletedRowsInTheRunHistory() throws Exception {
        createTable("counted_del", "is_deleted BIT(1) NOT NULL DEFAULT b'0'");
        Mapping m = hard("counted_del");
        fx.runOk(m);
        fx.source("UPDATE counted_del SET is_deleted = b'1' WHERE id IN (1, 5)");

        RunResult run = fx.runOk(m);

        assertTrue(run.summary().contains(" deleted=2 "), run.summary());
        var last = new MappingControl(fx.dataSources, SyncFixture.STATE_SCHEMA).history(m, 1, 0).get(0);
        assertEquals(2, last.deleted());
        assertTargetHoldsLiveSourceRows("counted_del", "is_deleted = b'0'");
    }

    @Test
    void shouldDeleteFlaggedRowsByCompositeKey() {
        fx.source("CREATE TABLE order_lines (tenant INT NOT NULL, id INT NOT NULL, deleted TINYINT NOT NULL DEFAULT 0,"
                + " updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
                + " PRIMARY KEY (tenant, id), INDEX (updated_at))",
                "INSERT INTO order_lines (tenant, id) VALUES (1, 1), (1, 2), (2, 1), (2, 2)");
        Mapping m = hard("order_lines");
        fx.runOk(m);
        fx.source("UPDATE order_lines SET deleted = 1 WHERE (tenant, id) IN ((1, 2), (2, 1))");

        assertEquals(2, fx.runOk(m).counts().deleted());

        assertEquals(fx.sourceRows("SELECT * FROM order_lines WHERE deleted = 0 ORDER BY tenant, id"),
                fx.targetRows("SELECT * FROM order_lines ORDER BY tenant, id"));
    }

    @Test
    void shouldRemoveRowsFlaggedEarlierWhenSwitchingFromCopyToHardMode() {
        createTable("switched", "is_deleted TINYINT(1) NOT NULL DEFAULT 0");
        fx.source("UPDATE switched SET is_deleted = 1 WHERE id = 4");
        Mapping copy = fx.mapping("switched", "switched");
        fx.runOk(copy);
        assertEquals(5, fx.targetCount("SELECT COUNT(*) FROM switched"), "copy mode keeps the flagged row");

        RunResult hardRun = fx.runOk(TestConfig.edit(copy).withDeletes(Optional.empty(), DeleteMode.HARD).build());

        assertEquals("snapshot+incremental", hardRun.kind(), "a changed delete mode copies the table again");
        assertEquals(1, hardRun.counts().deleted());
        assertTargetHoldsLiveSourceRows("switched", "is_deleted = 0");
    }

    @Test
    void shouldDeleteInTheCheckpointsTransactionAndApplyItExactlyOnceAfterAFailedBatch() {
        createTable("atomic_del", "is_deleted TINYINT(1) NOT NULL DEFAULT 0");
        Mapping m = TestConfig.edit(hard("atomic_del")).withBatchSize(10).build();
        fx.runOk(m);
        String before = fx.runOk(m).checkpoint().orElseThrow().describe();
        fx.target("CREATE TRIGGER refuse_six BEFORE INSERT ON atomic_del FOR EACH ROW"
                + " BEGIN IF NEW.id = 6 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'boom'; END IF; END");
        // One batch: the delete of row 1 runs first, then the insert of row 6 fails.
        fx.source("UPDATE atomic_del SET is_deleted = 1 WHERE id = 1", "INSERT INTO atomic_del (id, v) VALUES (6, 'f')");

        RunResult failed = fx.run(m);
        assertFalse(failed.succeeded());
        assertEquals(1, fx.targetCount("SELECT COUNT(*) FROM atomic_del WHERE id = 1"), "the delete was rolled back");
        assertEquals(before, failed.checkpoint().orElseThrow().describe(), "the checkpoint did not move");

        fx.target("DROP TRIGGER refuse_six");
        RunResult resumed = fx.runOk(m);
        assertEquals(2, resumed.rowsRead(), "the failed batch is read again");
        assertEquals(1, resumed.counts().deleted());
        assertEquals(1, resumed.counts().inserted());
        assertEquals(0, fx.runOk(m).counts().deleted(), "nothing is deleted twice");
        assertTargetHoldsLiveSourceRows("atomic_del", "is_deleted = 0");
    }

    @Test
    void shouldStopAMappingWhoseConfiguredSoftDeleteColumnDoesNotExist() {
        createTable("no_flag", "flag INT NULL");
        Mapping m = TestConfig.edit(fx.mapping("no-flag", "no_flag")).withDeletes(Optional.of("removed"), DeleteMode.HARD).build();

        RunResult run = fx.run(m);

        assertFalse(run.succeeded());
        String message = run.error().orElseThrow().getMessage();
        assertTrue(message.contains("tablesync.mappings.no-flag.soft-delete-column: column 'removed' does not exist in "
                + fx.sourceDb + ".no_flag"), message);
        assertEquals(0, fx.targetCount("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_NAME = 'no_flag'"));
    }

    @Test
    void shouldStopAHardDeleteMappingWithoutASoftDeleteColumnNamingTheKey() {
        createTable("unflagged", "note INT NULL");

        RunResult run = fx.run(hard("unflagged"));

        assertFalse(run.succeeded());
        String message = run.error().orElseThrow().getMessage();
        assertTrue(message.contains("tablesync.mappings.unflagged.delete-mode is hard but " + fx.sourceDb
                + ".unflagged has no soft-delete column"), message);
        assertTrue(message.contains("set tablesync.mappings.unflagged.soft-delete-column"), message);
    }

    @Test
    void shouldLeaveRowsFlaggedBeforeTheSnapshotOutWhenABulkLoadIsRefusedAndTheBatchUpserted() {
        createTable("hard_refused", "deleted_at DATETIME(6) NULL");
        fx.numbers(12);
        fx.source("INSERT INTO hard_refused (id, v) SELECT n + 5, CONCAT('row ', n) FROM nums",
                "UPDATE hard_refused SET deleted_at = NOW(6) WHERE id IN (2, 8, 13)");
        RunResult run = fx.runRefusingLoadsAfterFirstCommit(TestConfig.edit(hard("hard_refused")).withBatchSize(5)
                .withBulkBatchSize(5).build());

        assertTrue(run.succeeded(), run.summary());
        assertEquals(14, run.counts().inserted(), "17 rows, 3 of them flagged");
        assertTargetHoldsLiveSourceRows("hard_refused", "deleted_at IS NULL");
    }
}
