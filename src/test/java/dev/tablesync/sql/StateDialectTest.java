package dev.tablesync.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.tablesync.schema.TableId;

/** Pins the SQL for tablesync's own checkpoint and run tables. */
class StateDialectTest {

    private static final String INSERT = "INSERT INTO `tablesync`.`checkpoint` (`mapping_id`, `phase`, `mode`,"
            + " `fingerprint`, `cursor_values`, `incremental_start`, `snapshot_start`, `complete_up_to`,"
            + " `rows_copied`, `updated_at`, `synced_schema`, `binlog_position`)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static StateDialect state(ServerVersion server, String schema) {
        return new StateDialect(new Dialect(server), schema);
    }

    @Test
    void shouldLoadCheckpointTargetDefinitionPauseFlagAndWhetherTheTargetHasRowsInOneStatement() {
        String head = "SELECT `mapping_id`, `phase`, `mode`, `fingerprint`, `cursor_values`, `incremental_start`,"
                + " `snapshot_start`, `complete_up_to`, `rows_copied`, `updated_at`, `synced_schema`, `binlog_position`, ("
                + DialectTest.ENGINE_KEYS_AND_COLUMNS + "), (SELECT `paused` FROM"
                + " `tablesync`.`mapping_control` WHERE `mapping_id` = ?)";
        String tail = " FROM (SELECT 1 AS `one`) AS `one` LEFT JOIN `tablesync`.`checkpoint` ON `mapping_id` = ?";
        String withRows = head + ", EXISTS (SELECT 1 FROM `shop`.`orders`)" + tail;
        String missing = head + ", NULL" + tail;
        for (ServerVersion server : List.of(ServerVersion.mariadb(10, 11, 19), ServerVersion.mysql(8, 4, 2))) {
            StateDialect state = state(server, "tablesync");
            assertEquals(withRows, state.loadForRun(Optional.of(TableId.of("shop", "orders"))));
            assertEquals(missing, state.loadForRun(Optional.empty()));
        }
    }

    @Test
    void shouldSaveCheckpointWithValuesFunctionOnMariaDb() {
        assertEquals(INSERT + " ON DUPLICATE KEY UPDATE `phase` = VALUES(`phase`), `mode` = VALUES(`mode`),"
                + " `fingerprint` = VALUES(`fingerprint`), `cursor_values` = VALUES(`cursor_values`),"
                + " `incremental_start` = VALUES(`incremental_start`), `snapshot_start` = VALUES(`snapshot_start`),"
                + " `complete_up_to` = VALUES(`complete_up_to`), `rows_copied` = VALUES(`rows_copied`),"
                + " `updated_at` = VALUES(`updated_at`), `synced_schema` = VALUES(`synced_schema`),"
                + " `binlog_position` = VALUES(`binlog_position`)",
                state(ServerVersion.mariadb(10, 11, 19), "tablesync").saveCheckpoint());
    }

    @Test
    void shouldSaveCheckpointWithRowAliasOnMySql84() {
        assertEquals(INSERT + " AS _tablesync_new ON DUPLICATE KEY UPDATE `phase` = _tablesync_new.`phase`,"
                + " `mode` = _tablesync_new.`mode`, `fingerprint` = _tablesync_new.`fingerprint`,"
                + " `cursor_values` = _tablesync_new.`cursor_values`,"
                + " `incremental_start` = _tablesync_new.`incremental_start`,"
                + " `snapshot_start` = _tablesync_new.`snapshot_start`,"
                + " `complete_up_to` = _tablesync_new.`complete_up_to`, `rows_copied` = _tablesync_new.`rows_copied`,"
                + " `updated_at` = _tablesync_new.`updated_at`, `synced_schema` = _tablesync_new.`synced_schema`,"
                + " `binlog_position` = _tablesync_new.`binlog_position`",
                state(ServerVersion.mysql(8, 4, 2), "tablesync").saveCheckpoint());
    }

    @Test
    void shouldSaveCheckpointWithValuesFunctionOnMySql8018() {
        assertEquals(state(ServerVersion.mariadb(10, 11, 19), "tablesync").saveCheckpoint(),
                state(ServerVersion.mysql(8, 0, 18), "tablesync").saveCheckpoint());
    }

    @Test
    void shouldQuoteTheStateSchemaEverywhere() {
        StateDialect s = state(ServerVersion.mysql(8, 4, 2), "ops`state");
        assertEquals("CREATE DATABASE IF NOT EXISTS `ops``state` CHARACTER SET utf8mb4", s.createSchema());
        assertEquals("DELETE FROM `ops``state`.`checkpoint` WHERE `mapping_id` = ?", s.deleteCheckpoint());
    }

    @Test
    void shouldLoadCheckpointColumnsInSaveOrder() {
        assertEquals("SELECT `mapping_id`, `phase`, `mode`, `fingerprint`, `cursor_values`, `incremental_start`,"
                + " `snapshot_start`, `complete_up_to`, `rows_copied`, `updated_at`, `synced_schema`, `binlog_position`"
                + " FROM `tablesync`.`checkpoint`"
                + " WHERE `mapping_id` = ?", state(ServerVersion.mariadb(10, 11, 19), "tablesync").loadCheckpoint());
    }

    @Test
    void shouldPageRunHistoryNewestFirst() {
        assertEquals("SELECT `id`, `run_key`, `started_at`, `finished_at`, `kind`, `status`, `rows_read`, `inserted`, `updated`,"
                + " `unchanged`, `error`, `checkpoint`, `deleted` FROM `tablesync`.`run` WHERE `mapping_id` = ? ORDER BY `id` DESC"
                + " LIMIT ? OFFSET ?", state(ServerVersion.mariadb(10, 11, 19), "tablesync").selectRuns());
    }

    @Test
    void shouldInsertRunWithOnePlaceholderPerColumn() {
        assertEquals("INSERT INTO `tablesync`.`run` (`run_key`, `mapping_id`, `started_at`, `finished_at`, `kind`,"
                + " `status`, `rows_read`, `inserted`, `updated`, `unchanged`, `deleted`, `error`, `checkpoint`)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", state(ServerVersion.mysql(8, 4, 2), "tablesync").insertRun());
    }

    @Test
    void shouldAddColumnsOfLaterVersionsToStateTablesOfOlderOnes() {
        StateDialect s = state(ServerVersion.mariadb(10, 11, 19), "tablesync");
        assertEquals("SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?",
                s.stateColumns());
        assertEquals(List.of("checkpoint.synced_schema: ALTER TABLE `tablesync`.`checkpoint` ADD COLUMN"
                + " `synced_schema` MEDIUMTEXT NULL", "checkpoint.binlog_position: ALTER TABLE `tablesync`.`checkpoint`"
                + " ADD COLUMN `binlog_position` MEDIUMTEXT NULL", "run.deleted: ALTER TABLE `tablesync`.`run` ADD COLUMN `deleted`"
                + " BIGINT NOT NULL DEFAULT 0 AFTER `unchanged`"),
                s.addedColumns().stream().map(a -> a[0] + "." + a[1] + ": " + a[2]).toList());
    }

    @Test
    void shouldUpsertThePauseFlagWithTheServersSyntax() {
        assertEquals("INSERT INTO `tablesync`.`mapping_control` (`mapping_id`, `paused`, `changed_at`, `changed_by`)"
                + " VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE `paused` = VALUES(`paused`),"
                + " `changed_at` = VALUES(`changed_at`), `changed_by` = VALUES(`changed_by`)",
                state(ServerVersion.mariadb(10, 11, 19), "tablesync").savePaused());
        assertEquals("INSERT INTO `tablesync`.`mapping_control` (`mapping_id`, `paused`, `changed_at`, `changed_by`)"
                + " VALUES (?, ?, ?, ?) AS _tablesync_new ON DUPLICATE KEY UPDATE `paused` = _tablesync_new.`paused`,"
                + " `changed_at` = _tablesync_new.`changed_at`, `changed_by` = _tablesync_new.`changed_by`",
                state(ServerVersion.mysql(8, 4, 2), "tablesync").savePaused());
    }
}
