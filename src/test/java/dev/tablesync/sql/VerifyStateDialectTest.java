package dev.tablesync.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Pins the SQL of the verify report table, the same on MySQL and MariaDB. */
class VerifyStateDialectTest {

    private static final String COLUMNS = "`run_key`, `mapping_id`, `started_at`, `finished_at`, `repair`, `status`,"
            + " `method`, `chunks`, `differing_chunks`, `missing`, `extra`, `different`, `upserted`, `deleted`,"
            + " `unrepaired`, `not_compared`, `sample`, `error`";
    private static final List<StateDialect> BOTH = List.of(
            new StateDialect(new Dialect(ServerVersion.mariadb(10, 11, 19)), "ts"),
            new StateDialect(new Dialect(ServerVersion.mysql(8, 4, 2)), "ts"));

    @Test
    void shouldKeepVerifyReportsInATableOfTheirOwnKeyedByRunKey() {
        BOTH.forEach(d -> assertEquals("CREATE TABLE IF NOT EXISTS `ts`.`verify_report` (`run_key` CHAR(36) NOT NULL,"
                + " `mapping_id` VARCHAR(190) NOT NULL, `started_at` DATETIME(6) NOT NULL, `finished_at` DATETIME(6)"
                + " NOT NULL, `repair` TINYINT(1) NOT NULL, `status` VARCHAR(16) NOT NULL, `method` VARCHAR(16) NOT NULL,"
                + " `chunks` BIGINT NOT NULL, `differing_chunks` BIGINT NOT NULL, `missing` BIGINT NOT NULL, `extra`"
                + " BIGINT NOT NULL, `different` BIGINT NOT NULL, `upserted` BIGINT NOT NULL, `deleted` BIGINT NOT NULL,"
                + " `unrepaired` BIGINT NOT NULL, `not_compared` TEXT NULL, `sample` TEXT NULL, `error` TEXT NULL,"
                + " PRIMARY KEY (`run_key`), KEY `mapping_verify` (`mapping_id`, `finished_at`))"
                + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin", d.createVerifyTable()));
    }

    @Test
    void shouldInsertAndReadReportsByRunKeyAndTheLastCompleteOne() {
        BOTH.forEach(d -> {
            assertEquals("INSERT INTO `ts`.`verify_report` (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?, ?, ?, ?, ?, ?, ?)", d.insertVerify());
            assertEquals("SELECT " + COLUMNS + " FROM `ts`.`verify_report` WHERE `mapping_id` = ? AND `run_key` IN"
                    + " (?, ?)", d.selectVerify(2));
            assertEquals("SELECT " + COLUMNS + " FROM `ts`.`verify_report` WHERE `mapping_id` = ? AND"
                    + " `status` = 'success' ORDER BY `finished_at` DESC LIMIT 1", d.selectLastVerify());
        });
    }
}
