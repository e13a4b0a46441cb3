package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.config.Mapping;
import dev.tablesync.schema.SchemaDriftException;
import dev.tablesync.testsupport.TestServer;
import dev.tablesync.testsupport.TestServers;

/** Schema drift on real servers: added columns followed without a snapshot, other changes stop one mapping. */
class SchemaDriftSyncTest {

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("drift");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    private static Mapping synced(String table) {
        return fx.syncedThreeRows(table, "DEFAULT CHARSET=latin1");
    }

    /** Name, position, type, nullability, default, charset and collation of the named columns. */
    private static String definitionQuery(TestServer server, String db, String table, String columns) {
        String type = "COLUMN_TYPE";
        String columnDefault = "COLUMN_DEFAULT";
        if (TestServers.get().mixedFlavors()) {
            // Only MariaDB prints integer display widths, and quotes string defaults ('it''s'; NULL unquoted).
            // Binary defaults print differently on each flavor: the rows carry their bytes.
            type = "IF(DATA_TYPE LIKE '%int', CONCAT(DATA_TYPE, IF(COLUMN_TYPE LIKE '%unsigned%', ' unsigned', '')),"
                    + " COLUMN_TYPE)";
            String mariadbDefault = "WHEN COLUMN_DEFAULT = 'NULL' THEN NULL WHEN COLUMN_DEFAULT LIKE '''%''' THEN"
                    + " REPLACE(SUBSTRING(COLUMN_DEFAULT, 2, CHAR_LENGTH(COLUMN_DEFAULT) - 2), '''''', '''')"
                    + " ELSE UPPER(COLUMN_DEFAULT)";
            columnDefault = "CASE WHEN DATA_TYPE LIKE '%binary' THEN 'bytes compared by row' "
                    + (server.flavor().equals("mariadb") ? mariadbDefault : "ELSE COLUMN_DEFAULT") + " END";
        }
        return "SELECT COLUMN_NAME, ORDINAL_POSITION, " + type + ", IS_NULLABLE, " + columnDefault
                + ", CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + db
                + "' AND TABLE_NAME = '" + table + "' AND COLUMN_NAME IN (" + columns + ") ORDER BY ORDINAL_POSITION";
    }

    @Test
    void shouldAddAColumnAddedOnTheSourceToTheTargetWithTheSameDefinitionAndNoSnapshot() {
        Mapping m = synced("grows");
        fx.source("ALTER TABLE grows ADD COLUMN label VARCHAR(30) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
                + " NOT NULL DEFAULT 'it''s new' AFTER qty, ADD COLUMN weight DECIMAL(8,3) NULL DEFAULT -1.500,"
                + " ADD COLUMN code INT NOT NULL FIRST",
                "INSERT INTO grows (id, qty, label, weight, code) VALUES (4, 40, 'fresh', 2.250, 7)",
                "UPDATE grows SET label = 'changed' WHERE id = 2");

        RunResult run = fx.runOk(m);

        assertEquals("incremental", run.kind(), "an added column costs no snapshot");
        assertEquals(2, run.rowsRead());
        String added = "'code', 'label', 'weight'";
        assertEquals(fx.sourceRows(definitionQuery(fx.sourceServer, fx.sourceDb, "grows", added)),
                fx.targetRows(definitionQuery(fx.targetServer, fx.targetDb, "grows", added)));
        assertEquals(fx.sourceRows("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '"
                + fx.sourceDb + "' AND TABLE_NAME = 'grows' ORDER BY ORDINAL_POSITION"), fx.targetRows("SELECT"
                + " COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + fx.targetDb + "' AND"
                + " TABLE_NAME = 'grows' ORDER BY ORDINAL_POSITION"), "same column order");
        fx.assertSameRows("SELECT * FROM grows ORDER BY id");
        fx.source("UPDATE grows SET weight = 9.125 WHERE id = 1");
        assertEquals(1, fx.runOk(m).counts().updated(), "the new columns are synced from then on");
        fx.assertSameRows("SELECT * FROM grows ORDER BY id");
    }

    /**
     * Every kind of default, on whichever flavour the test servers are: rows already in the target
     * must get the very bytes the source's rows got. information_schema cuts MySQL's binary
     * defaults at the first 0x00 ({@code 0x}, a syntax error) and turns MariaDB's 0xFF into {@code ?}.
     */
    @Test
    void shouldGiveRowsAlreadyInTheTargetTheSourcesDefaultOfEveryKindWhenAColumnIsAdded() {
        Mapping m = synced("defaults");
        String[][] added = {
            {"d_int", "INT NOT NULL DEFAULT -7"},
            {"d_dec", "DECIMAL(8,3) NULL DEFAULT -1.500"},
            {"d_dbl", "DOUBLE NULL DEFAULT 1.5e3"},
            {"d_str", "VARCHAR(30) NULL DEFAULT 'it''s a \\\\ b \"q\"'"},
            {"d_vbin", "VARBINARY(4) NULL DEFAULT 0x00FF"},
            {"d_bin", "BINARY(3) NOT NULL DEFAULT 0xFF0027"},
            {"d_bstr", "VARBINARY(8) NULL DEFAULT 'a''\\\\b'"},
            {"d_bempty", "VARBINARY(4) NOT NULL DEFAULT ''"},
            {"d_blob", "BLOB NULL DEFAULT (0x00FF5C27)"},
            {"d_bit", "BIT(8) NULL DEFAULT b'10000001'"},
            {"d_dt", "DATETIME(6) NOT NULL DEFAULT '2020-01-02 03:04:05.123456'"},
            {"d_date", "DATE NULL DEFAULT '2020-02-29'"},
            {"d_null", "VARCHAR(5) NULL DEFAULT NULL"},
            {"d_expr", "VARCHAR(40) NULL DEFAULT (concat('it''s', ' a\\\\b'))"},
            {"d_num", "INT NULL DEFAULT (1 + 2)"},
            {"d_enum", "ENUM('a','b''c') NOT NULL DEFAULT 'b''c'"},
            {"d_set", "SET('x','y') NOT NULL DEFAULT 'x,y'"},
            {"d_now", "DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"}};
        String names = "'d_now', 'd_bin', 'd_enum', 'd_null'";
        assertAddedColumnsGiveTheTargetTheSourcesDefaults(m, added, names);
    }

    /**
     * MySQL shows each string literal of an expression default with its charset introducer
     * ({@code _utf8mb4'it\'s'}), which MariaDB cannot take back when it holds a quote (a syntax error) or a
     * backslash ({@code \b} becomes a backspace); it also shows non-ASCII characters double-encoded. Every kind
     * of literal, nested in functions, must reach the target's rows and own default as the very characters.
     */
    @Test
    void shouldGiveRowsTheSourcesExpressionDefaultWhateverStringLiteralsItHolds() {
        Mapping m = synced("literals");
        List<String[]> added = new ArrayList<>(List.of(
                new String[] {"e_nested", "VARCHAR(60) CHARACTER SET utf8mb4 DEFAULT (concat(upper(lower('Q''q')),"
                        + " repeat('\\\\', 2), replace('a''b', '''', '\"')))"},
                new String[] {"e_ctrl", "VARCHAR(20) CHARACTER SET utf8mb4 DEFAULT (concat('t\\tn\\nz\\0', 'x'))"},
                new String[] {"e_utf8", "VARCHAR(20) CHARACTER SET utf8mb4 DEFAULT (concat('\u00e9\u20ac',"
                        + " 'it''s \u00fc'))"},
                new String[] {"e_hexbit", "VARCHAR(20) CHARACTER SET utf8mb4 DEFAULT (concat(X'41', 0x42,"
                        + " b'01000011'))"},
                new String[] {"e_plain", "VARCHAR(20) CHARACTER SET utf8mb4 DEFAULT (concat(_utf8mb4'ab' COLLATE"
                        + " utf8mb4_bin, 'c'))"}));
        if (fx.sourceServer.flavor().equals("mysql")) {
            // MariaDB cannot hold this one itself: it refuses an introduced literal with a quote.
            added.add(new String[] {"e_intro", "VARCHAR(40) CHARACTER SET utf8mb4 DEFAULT (concat(N'n''x',"
                    + " _latin1'l\\\\t', _utf8mb4'a''b' COLLATE utf8mb4_bin))"});
        }
        // Across flavours the texts of expressions differ; the rows carry the values.
        assertAddedColumnsGiveTheTargetTheSourcesDefaults(m, added.toArray(String[][]::new),
                TestServers.get().mixedFlavors() ? null : "'e_plain', 'e_hexbit'");
    }

    /**
     * Adds the columns on the source and runs; the rows already in the target must get the source's defaults,
     * the named columns (if any) the same definitions, and the target's own defaults must be the source's.
     */
    private static void assertAddedColumnsGiveTheTargetTheSourcesDefaults(Mapping m, String[][] added,
            String definitionNames) {
        String table = m.sourceTable().table();
        // MySQL 8.0.15 with GTIDs (the test source) refuses ADD COLUMN with an expression default.
        boolean expressions = fx.sourceRows("SELECT VERSION() LIKE '8.0.15%'").equals(List.of("[30]"));
        StringBuilder alter = new StringBuilder("ALTER TABLE " + table);
        StringBuilder copied = new StringBuilder("SELECT id");
        for (String[] column : added) {
            if (!expressions && column[1].contains("DEFAULT (")) {
                continue;
            }
            alter.append(alter.indexOf(" ADD ") > 0 ? ", " : " ").append("ADD COLUMN ").append(column[0]).append(' ')
                    .append(column[1]);
            copied.append(column[0].equals("d_now") ? "" : ", " + column[0]);
        }
        fx.source(alter.toString());

        RunResult run = fx.runOk(m);

        assertEquals("incremental", run.kind(), run.summary());
        fx.assertSameRows(copied + " FROM " + table + " ORDER BY id");
        if (definitionNames != null) {
            assertEquals(fx.sourceRows(definitionQuery(fx.sourceServer, fx.sourceDb, table, definitionNames)),
                    fx.targetRows(definitionQuery(fx.targetServer, fx.targetDb, table, definitionNames)),
                    "the same definitions");
        }
        fx.source("INSERT INTO " + table + " (id) VALUES (4)");
        // A target table tablesync created has no defaults of its own but those of added columns.
        fx.target("INSERT INTO " + table + " (id, updated_at) VALUES (5, NOW(6))");
        assertEquals(fx.sourceRows(copied + " FROM " + table + " WHERE id = 4"),
                fx.targetRows(copied.toString().replace("SELECT id", "SELECT 4") + " FROM " + table + " WHERE id = 5"),
                "the target's own default is the source's");
    }

    @Test
    void shouldStopOnlyTheMappingWhoseSourceDroppedAColumnAndResumeOnceTheTargetIsAligned() {
        Mapping shrinking = synced("shrinks");
        Mapping other = synced("steady");
        fx.source("ALTER TABLE shrinks DROP COLUMN note", "INSERT INTO shrinks (id, qty) VALUES (4, 40)",
                "INSERT INTO steady (id, qty) VALUES (4, 40)");

        RunResult stopped = fx.run(shrinking);
        RunResult steady = fx.runOk(other);

        assertFalse(stopped.succeeded());
        SchemaDriftException drift = assertInstanceOf(SchemaDriftException.class, stopped.error().orElseThrow());
        assertEquals("schema drift: source table " + fx.sourceDb + ".shrinks of mapping shrinks changed: column `note`"
                + " varchar(20) CHARACTER SET latin1 NULL was dropped. Target " + fx.targetDb + ".shrinks was left as"
                + " it is and the mapping is stopped. To proceed, align the target table (drop column `note` from the"
                + " target), then POST /api/mappings/shrinks/reset to re-snapshot (without a reset, the mapping resumes"
                + " from its checkpoint once the target matches the source, and copies no existing row again)",
                drift.getMessage());
        assertEquals(3, fx.targetCount("SELECT COUNT(*) FROM shrinks"), "nothing written after the drift");
        assertEquals(1, steady.rowsRead());
        fx.assertSameRows("SELECT * FROM steady ORDER BY id");
        assertFalse(fx.run(shrinking).succeeded(), "stays stopped until someone acts");

        fx.target("ALTER TABLE shrinks DROP COLUMN note");
        RunResult resumed = fx.runOk(shrinking);
        assertEquals("incremental", resumed.kind());
        fx.assertSameRows("SELECT * FROM shrinks ORDER BY id");
    }

    @Test
    void shouldStopOnARetypedColumnAndCopyAgainAfterAlignAndReset() throws Exception {
        Mapping m = synced("retyped");
        fx.source("ALTER TABLE retyped MODIFY qty BIGINT NULL", "UPDATE retyped SET qty = 5000000000 WHERE id = 1");

        RunResult stopped = fx.run(m);

        String message = stopped.error().orElseThrow().getMessage();
        assertTrue(message.contains("source table " + fx.sourceDb + ".retyped of mapping retyped changed: column `qty`"
                + " changed from int NULL to bigint NULL (target has int NULL)"), message);
        assertTrue(message.contains("make target column `qty` bigint NULL"), message);
        assertTrue(message.contains("POST /api/mappings/retyped/reset"), message);

        fx.target("ALTER TABLE retyped MODIFY qty BIGINT NULL");
        new MappingControl(fx.dataSources, SyncFixture.STATE_SCHEMA).reset(m);
        RunResult copied = fx.runOk(m);
        assertEquals("snapshot+incremental", copied.kind());
        fx.assertSameRows("SELECT * FROM retyped ORDER BY id");
    }

    @Test
    void shouldStopWhenTheTrackingColumnIsDropped() {
        Mapping m = synced("untracked");
        fx.source("ALTER TABLE untracked DROP COLUMN updated_at");

        String message = fx.run(m).error().orElseThrow().getMessage();

        assertTrue(message.contains("column `updated_at` datetime(6) NOT NULL was dropped (the tracking column)"),
                message);
    }

    @Test
    void shouldUpgradeStateTablesOfAnOlderVersionAndTheirCheckpoints() throws InterruptedException {
        String oldState = "drift_old_state";
        fx.target("DROP DATABASE IF EXISTS " + oldState, "CREATE DATABASE " + oldState,
                "CREATE TABLE " + oldState + ".checkpoint (`mapping_id` VARCHAR(190) NOT NULL, `phase` VARCHAR(16) NOT"
                        + " NULL, `mode` VARCHAR(16) NOT NULL, `fingerprint` CHAR(64) NOT NULL, `cursor_values`"
                        + " MEDIUMTEXT NULL, `incremental_start` MEDIUMTEXT NULL, `snapshot_start` DATETIME(6) NULL,"
                        + " `complete_up_to` DATETIME(6) NULL, `rows_copied` BIGINT NOT NULL DEFAULT 0, `updated_at`"
                        + " DATETIME(6) NOT NULL, PRIMARY KEY (`mapping_id`))",
                "CREATE TABLE " + oldState + ".run (`id` BIGINT NOT NULL AUTO_INCREMENT, `run_key` CHAR(36) NULL,"
                        + " `mapping_id` VARCHAR(190) NOT NULL, `started_at` DATETIME(6) NOT NULL, `finished_at`"
                        + " DATETIME(6) NOT NULL, `kind` VARCHAR(32) NOT NULL, `status` VARCHAR(16) NOT NULL,"
                        + " `rows_read` BIGINT NOT NULL, `inserted` BIGINT NOT NULL, `updated` BIGINT NOT NULL,"
                        + " `unchanged` BIGINT NOT NULL, `error` TEXT NULL, `checkpoint` MEDIUMTEXT NULL,"
                        + " PRIMARY KEY (`id`))");
        fx.source("CREATE TABLE upgraded (id INT PRIMARY KEY, updated_at DATETIME(6) NOT NULL DEFAULT"
                + " CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX (updated_at))",
                "INSERT INTO upgraded (id) VALUES (1), (2)");
        Mapping m = fx.mapping("upgraded", "upgraded");
        RunResult first = new MappingRun(m, fx.dataSources, oldState, new ChangeWindow(m.id()), RunObserver.NONE,
                Clock.systemUTC()).execute(false);
        assertTrue(first.succeeded(), first.summary());
        // A checkpoint saved before drift was followed knows no schema: the next run takes what both tables have.
        fx.target("UPDATE " + oldState + ".checkpoint SET synced_schema = NULL");
        fx.source("ALTER TABLE upgraded ADD COLUMN extra INT NOT NULL DEFAULT 3", "INSERT INTO upgraded (id) VALUES (3)");
        Thread.sleep(150); // INNODB_TRX lags commits by up to 100 ms (see SyncFixture.run)

        RunResult next = new MappingRun(m, fx.dataSources, oldState, new ChangeWindow(m.id()), RunObserver.NONE,
                Clock.systemUTC()).execute(false);

        assertTrue(next.succeeded(), next.summary());
        assertEquals("incremental", next.kind());
        assertEquals(2, fx.targetCount("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '"
                + oldState + "' AND COLUMN_NAME IN ('synced_schema', 'deleted')"));
        fx.assertSameRows("SELECT * FROM upgraded ORDER BY id");
    }

    @Test
    void shouldIssueTheSameStatementsPerIdleRunWhateverTheColumnsAndAfterFollowingAnAddedColumn() {
        Mapping narrow = synced("idle_narrow");
        StringBuilder columns = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            columns.append(", c").append(i).append(" INT NULL");
        }
        fx.source("CREATE TABLE idle_wide (id INT PRIMARY KEY" + columns + ", updated_at DATETIME(6) NOT NULL DEFAULT"
                + " CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX (updated_at))",
                "INSERT INTO idle_wide (id) VALUES (1)");
        Mapping wide = fx.mapping("idle-wide", "idle_wide");
        // The run after one that created or altered the target reads its definition again (KnownTarget).
        fx.runOk(wide);
        fx.runOk(wide);
        fx.runOk(narrow);

        long[] narrowCost = idleRunCost(narrow);
        assertArrayEquals(narrowCost, idleRunCost(wide), "per-run statements do not grow with the columns");
        fx.source("ALTER TABLE idle_wide ADD COLUMN c30 INT NULL");
        fx.runOk(wide);
        fx.runOk(wide);
        assertArrayEquals(narrowCost, idleRunCost(wide), "nor after a column was followed");
    }

    /** Statements {source, target} one idle run sends, from its own sessions' Questions counters. */
    private static long[] idleRunCost(Mapping m) {
        SyncFixture.Counted idle = fx.runCounted(m, "Questions");
        assertEquals(0, idle.run().rowsRead(), idle.run().summary());
        return new long[] {idle.source().get("Questions"), idle.target().get("Questions")};
    }

}
