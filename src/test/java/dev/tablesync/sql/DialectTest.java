package dev.tablesync.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.tablesync.config.ConflictPolicy;
import dev.tablesync.schema.Column;
import dev.tablesync.schema.Index;
import dev.tablesync.schema.TableId;
import dev.tablesync.schema.TableSchema;

/** Pins the exact SQL text per server; the statements here are what runs against production tables. */
class DialectTest {

    private static final Dialect MARIADB = new Dialect(ServerVersion.mariadb(10, 11, 19));
    private static final Dialect MARIADB_10_6 = new Dialect(ServerVersion.mariadb(10, 6, 21));
    private static final Dialect MYSQL_84 = new Dialect(ServerVersion.mysql(8, 4, 2));
    private static final Dialect MYSQL_8018 = new Dialect(ServerVersion.mysql(8, 0, 18));
    private static final List<Dialect> BOTH = List.of(MARIADB, MYSQL_84);
    private static final List<Dialect> EVERY_SERVER = List.of(MARIADB, MARIADB_10_6, MYSQL_84,
            new Dialect(ServerVersion.mysql(8, 0, 31)), new Dialect(ServerVersion.mysql(8, 0, 15)));
    private static final List<Dialect> MYSQL_8 = List.of(MYSQL_84, new Dialect(ServerVersion.mysql(8, 0, 31)),
            new Dialect(ServerVersion.mysql(8, 0, 15)), MYSQL_8018);

    private static final TableId ORDERS = TableId.of("shop", "orders");
    private static final Column ID = column("id", "bigint", "bigint(20)", false);
    private static final Column NAME = column("name", "varchar", "varchar(100)", true);
    private static final Column UPDATED_AT = column("updated_at", "datetime", "datetime(6)", true);
    private static final String NEWER_VALUES = "(VALUES(`updated_at`) > `updated_at` OR (`updated_at` IS NULL AND"
            + " VALUES(`updated_at`) IS NOT NULL))";
    /** With the row alias, current values are qualified by the table: MySQL finds a bare name ambiguous. */
    private static final String NEWER_ALIAS = "(_tablesync_new.`updated_at` > `shop`.`orders`.`updated_at` OR"
            + " (`shop`.`orders`.`updated_at` IS NULL AND _tablesync_new.`updated_at` IS NOT NULL))";

    private static Column column(String name, String dataType, String columnType, boolean nullable) {
        return new Column(name, dataType, columnType, nullable, Optional.empty(), Optional.empty(), 0, "");
    }

    private static Column text(String name, String charset, String collation) {
        return new Column(name, "varchar", "varchar(50)", false, Optional.of(charset), Optional.of(collation), 0, "");
    }

    private static void assertForBoth(String expected, java.util.function.Function<Dialect, String> sql) {
        BOTH.forEach(d -> assertEquals(expected, sql.apply(d), d.server().toString()));
    }

    @Test
    void shouldSetBothLockTimeoutsInWholeSecondsOnEverySession() {
        assertEquals("SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION',"
                + " lock_wait_timeout = 30, innodb_lock_wait_timeout = 30", Dialect.sessionSetup(30));
        assertThrows(IllegalArgumentException.class, () -> Dialect.sessionSetup(0));
    }

    @Test
    void shouldQuoteBackticksByDoublingThem() {
        assertEquals("`we``ird`", Dialect.quote("we`ird"));
        assertEquals("`plain`", Dialect.quote("plain"));
    }

    @Test
    void shouldQualifyTableWithSchemaOnlyWhenPresent() {
        assertEquals("`shop`.`orders`", Dialect.table(ORDERS));
        assertEquals("`orders`", Dialect.table(TableId.of(null, "orders")));
        assertEquals("`sh``op`.`a.b`", Dialect.table(TableId.of("sh`op", "a.b")));
    }

    @Test
    void shouldWidenFloatColumnsToDoubleInSelectList() {
        Column price = column("price", "FLOAT", "float", true);
        assertForBoth("`id`, (`price` + 0E0) AS `price`, `name`", d -> d.selectList(List.of(ID, price, NAME)));
    }

    @Test
    void shouldMatchEveryRowForEmptyCursor() {
        assertForBoth("1 = 1", d -> d.keysetPredicate(List.of("a", "b"), 0));
        assertEquals(List.of(), Dialect.keysetBindOrder(2, 0));
    }

    @Test
    void shouldUseExclusiveComparisonForFullSingleColumnCursor() {
        assertForBoth("`a` >= ? AND `a` > ?", d -> d.keysetPredicate(List.of("a"), 1));
        assertEquals(List.of(0, 0), Dialect.keysetBindOrder(1, 1));
    }

    @Test
    void shouldUseInclusivePrefixForShortCursor() {
        assertForBoth("`a` >= ?", d -> d.keysetPredicate(List.of("a", "b", "c"), 1));
        assertEquals(List.of(0), Dialect.keysetBindOrder(3, 1));
        assertForBoth("`a` >= ? AND (`a` > ? OR (`a` = ? AND `b` >= ?))",
                d -> d.keysetPredicate(List.of("a", "b", "c"), 2));
        assertEquals(List.of(0, 0, 0, 1), Dialect.keysetBindOrder(3, 2));
    }

    @Test
    void shouldCompareLexicographicallyForFullTwoColumnCursor() {
        assertForBoth("`a` >= ? AND (`a` > ? OR (`a` = ? AND `b` > ?))", d -> d.keysetPredicate(List.of("a", "b"), 2));
        assertEquals(List.of(0, 0, 0, 1), Dialect.keysetBindOrder(2, 2));
    }

    @Test
    void shouldNestComparisonsForFullThreeColumnCursor() {
        assertForBoth("`a` >= ? AND (`a` > ? OR (`a` = ? AND (`b` > ? OR (`b` = ? AND `c` > ?))))",
                d -> d.keysetPredicate(List.of("a", "b", "c"), 3));
        assertEquals(List.of(0, 0, 0, 1, 1, 2), Dialect.keysetBindOrder(3, 3));
    }

    @Test
    void shouldBindExactlyAsManyValuesAsThePredicateHasPlaceholders() {
        List<String> order = List.of("a", "b", "c", "d");
        for (int length = 0; length <= order.size(); length++) {
            long placeholders = MARIADB.keysetPredicate(order, length).chars().filter(ch -> ch == '?').count();
            assertEquals(placeholders, Dialect.keysetBindOrder(order.size(), length).size(), "length " + length);
        }
    }

    @Test
    void shouldSelectByKeyAfterCursorOrFromStart() {
        assertForBoth("/* tablesync read */ SELECT `id`, `name` FROM `shop`.`orders` WHERE `id` >= ? AND `id` > ? ORDER BY `id` LIMIT 500",
                d -> d.reads().selectByKey(ORDERS, List.of(ID, NAME), List.of("id"), true, 500));
        assertForBoth("/* tablesync read */ SELECT `id`, `name` FROM `shop`.`orders` WHERE 1 = 1 ORDER BY `id` LIMIT 500",
                d -> d.reads().selectByKey(ORDERS, List.of(ID, NAME), List.of("id"), false, 500));
    }

    @Test
    void shouldSelectChangedRowsAfterTimestampAndKeyCursorUpToTheBound() {
        assertForBoth("/* tablesync read */ SELECT `id`, `updated_at` FROM `shop`.`orders` WHERE `updated_at` >= ? AND (`updated_at` > ?"
                + " OR (`updated_at` = ? AND `id` > ?)) AND `updated_at` <= ? ORDER BY `updated_at`, `id` LIMIT 1000",
                d -> d.reads().selectChanged(ORDERS, List.of(ID, UPDATED_AT), "updated_at", List.of("id"), 2, 1000));
        assertForBoth("/* tablesync read */ SELECT `id`, `updated_at` FROM `shop`.`orders` WHERE `updated_at` >= ? AND `updated_at` <= ?"
                + " ORDER BY `updated_at`, `id` LIMIT 10",
                d -> d.reads().selectChanged(ORDERS, List.of(ID, UPDATED_AT), "updated_at", List.of("id"), 1, 10));
    }

    @Test
    void shouldOverwriteNonKeyColumnsWithValuesOnMariaDb() {
        assertEquals("INSERT INTO `shop`.`orders` (`id`, `name`, `updated_at`) VALUES (?, ?, ?), (?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE `name` = VALUES(`name`), `updated_at` = VALUES(`updated_at`)",
                MARIADB.writes().upsert(ORDERS, List.of(ID, NAME, UPDATED_AT), List.of("id"), ConflictPolicy.OVERWRITE,
                        Optional.empty(), 2));
    }

    @Test
    void shouldOverwriteNonKeyColumnsWithRowAliasOnMySql84() {
        assertEquals("INSERT INTO `shop`.`orders` (`id`, `name`, `updated_at`) VALUES (?, ?, ?), (?, ?, ?)"
                + " AS _tablesync_new ON DUPLICATE KEY UPDATE `name` = _tablesync_new.`name`,"
                + " `updated_at` = _tablesync_new.`updated_at`",
                MYSQL_84.writes().upsert(ORDERS, List.of(ID, NAME, UPDATED_AT), List.of("id"), ConflictPolicy.OVERWRITE,
                        Optional.empty(), 2));
    }

    @Test
    void shouldFallBackToValuesFunctionOnMySqlBeforeRowAliases() {
        assertEquals("INSERT INTO `shop`.`orders` (`id`, `name`) VALUES (?, ?)"
                + " ON DUPLICATE KEY UPDATE `name` = VALUES(`name`)",
                MYSQL_8018.writes().upsert(ORDERS, List.of(ID, NAME), List.of("id"), ConflictPolicy.OVERWRITE,
                        Optional.empty(), 1));
        assertEquals("INSERT INTO `shop`.`orders` (`id`, `name`) VALUES (?, ?) AS _tablesync_new"
                + " ON DUPLICATE KEY UPDATE `name` = _tablesync_new.`name`",
                new Dialect(ServerVersion.mysql(8, 0, 19)).writes().upsert(ORDERS, List.of(ID, NAME), List.of("id"),
                        ConflictPolicy.OVERWRITE, Optional.empty(), 1));
    }

    @Test
    void shouldKeepExistingRowWithNoOpAssignmentForSkipAndError() {
        for (ConflictPolicy policy : List.of(ConflictPolicy.SKIP, ConflictPolicy.ERROR)) {
            assertEquals("INSERT INTO `shop`.`orders` (`id`, `name`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `id` = `id`",
                    MARIADB.writes().upsert(ORDERS, List.of(ID, NAME), List.of("id"), policy, Optional.empty(), 1), policy.name());
            assertEquals("INSERT INTO `shop`.`orders` (`id`, `name`) VALUES (?, ?) AS _tablesync_new"
                    + " ON DUPLICATE KEY UPDATE `id` = `shop`.`orders`.`id`",
                    MYSQL_84.writes().upsert(ORDERS, List.of(ID, NAME), List.of("id"), policy, Optional.empty(), 1),
                    policy.name());
        }
    }

    @Test
    void shouldAssignTrackingColumnLastInNewerWinsOnMariaDb() {
        assertEquals("INSERT INTO `shop`.`orders` (`id`, `updated_at`, `name`) VALUES (?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE `name` = IF(" + NEWER_VALUES + ", VALUES(`name`), `name`),"
                + " `updated_at` = IF(" + NEWER_VALUES + ", VALUES(`updated_at`), `updated_at`)",
                MARIADB.writes().upsert(ORDERS, List.of(ID, UPDATED_AT, NAME), List.of("id"), ConflictPolicy.NEWER_WINS,
                        Optional.of("updated_at"), 1));
    }

    @Test
    void shouldAssignTrackingColumnLastInNewerWinsOnMySql84() {
        assertEquals("INSERT INTO `shop`.`orders` (`id`, `updated_at`, `name`) VALUES (?, ?, ?) AS _tablesync_new"
                + " ON DUPLICATE KEY UPDATE `name` = IF(" + NEWER_ALIAS + ", _tablesync_new.`name`,"
                + " `shop`.`orders`.`name`), `updated_at` = IF(" + NEWER_ALIAS + ", _tablesync_new.`updated_at`,"
                + " `shop`.`orders`.`updated_at`)",
                MYSQL_84.writes().upsert(ORDERS, List.of(ID, UPDATED_AT, NAME), List.of("id"), ConflictPolicy.NEWER_WINS,
                        Optional.of("updated_at"), 1));
    }

    @Test
    void shouldRefuseNewerWinsWithoutTrackingColumn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MARIADB.writes().upsert(ORDERS,
                List.of(ID, NAME), List.of("id"), ConflictPolicy.NEWER_WINS, Optional.empty(), 1));
        assertEquals("newer-wins needs a tracking column", e.getMessage());
    }

    @Test
    void shouldUseNoOpAssignmentWhenEveryColumnIsInTheKey() {
        Column tenant = column("tenant", "int", "int(11)", false);
        for (ConflictPolicy policy : ConflictPolicy.values()) {
            assertEquals("INSERT INTO `shop`.`orders` (`tenant`, `id`) VALUES (?, ?), (?, ?)"
                    + " ON DUPLICATE KEY UPDATE `tenant` = `tenant`", MARIADB.writes().upsert(ORDERS, List.of(tenant, ID),
                            List.of("tenant", "id"), policy, Optional.of("id"), 2), policy.name());
            assertEquals("INSERT INTO `shop`.`orders` (`tenant`, `id`) VALUES (?, ?), (?, ?) AS _tablesync_new"
                    + " ON DUPLICATE KEY UPDATE `tenant` = `shop`.`orders`.`tenant`", MYSQL_84.writes().upsert(ORDERS, List.of(tenant, ID),
                            List.of("tenant", "id"), policy, Optional.of("id"), 2), policy.name());
        }
    }

    @Test
    void shouldSelectExistingRowsForUpdateBySingleKey() {
        assertForBoth("SELECT `id`, `name` FROM `shop`.`orders` WHERE `id` IN (?, ?, ?) FOR UPDATE",
                d -> d.writes().selectExisting(ORDERS, List.of(ID, NAME), List.of("id"), 3));
    }

    @Test
    void shouldSelectExistingRowsForUpdateByCompositeKeyAsOrOfAndsOnEveryServer() {
        Column tenant = column("tenant", "int", "int(11)", false);
        for (Dialect d : EVERY_SERVER) {
            assertEquals("SELECT `tenant`, `id`, `name` FROM `shop`.`orders` WHERE (`tenant` = ? AND `id` = ?)"
                    + " OR (`tenant` = ? AND `id` = ?) FOR UPDATE",
                    d.writes().selectExisting(ORDERS, List.of(tenant, ID, NAME), List.of("tenant", "id"), 2), d.server().toString());
        }
    }

    private static final String OLDEST_WRITER = "COALESCE((SELECT MIN(trx_started) FROM information_schema.INNODB_TRX"
            + " WHERE trx_rows_modified > 0 OR trx_state = 'LOCK WAIT'), NOW(6))";
    private static final String OTHER_STATEMENTS = " FROM information_schema.PROCESSLIST WHERE COMMAND IN ('Query',"
            + " 'Execute') AND ID <> CONNECTION_ID() AND USER <> 'system user' AND COALESCE(INFO, '') NOT LIKE"
            + " '/* tablesync read */%'), NOW(6))";
    private static final String HELD_BACK_MARIADB = "LEAST(NOW(6) - INTERVAL ? MICROSECOND, " + OLDEST_WRITER
            + ", COALESCE((SELECT NOW(6) - INTERVAL CEILING(MAX(TIME_MS) * 1000) MICROSECOND" + OTHER_STATEMENTS + ")";
    private static final String HELD_BACK_MYSQL = "LEAST(NOW(6) - INTERVAL ? MICROSECOND, " + OLDEST_WRITER
            + ", COALESCE((SELECT NOW(6) - INTERVAL (MAX(TIME) + 1) SECOND" + OTHER_STATEMENTS + ")";

    @Test
    void shouldHoldWatermarkBackForOpenWritersAndRunningStatementsOnlyWhenAsked() {
        assertForBoth("SELECT CAST(w AS DATETIME(6)), UNIX_TIMESTAMP(w) FROM (SELECT NOW(6) - INTERVAL ? MICROSECOND"
                + " AS w) AS window_bound", d -> d.reads().watermark(false));
        assertEquals("SELECT CAST(w AS DATETIME(6)), UNIX_TIMESTAMP(w) FROM (SELECT " + HELD_BACK_MARIADB
                + " AS w) AS window_bound", MARIADB.reads().watermark(true));
        MYSQL_8.forEach(d -> assertEquals("SELECT CAST(w AS DATETIME(6)), UNIX_TIMESTAMP(w) FROM (SELECT "
                + HELD_BACK_MYSQL + " AS w) AS window_bound", d.reads().watermark(true), d.server().toString()));
    }

    @Test
    void shouldReadTheHighestIdAfterItsTimeAndTheHeldBackTimeInOneStatement() {
        assertEquals("SELECT m, UNIX_TIMESTAMP(SYSDATE(6)), UNIX_TIMESTAMP(" + HELD_BACK_MARIADB + ") FROM (SELECT"
                + " MAX(`id`) AS m FROM `shop`.`orders`) AS id_window", MARIADB.reads().idWindow(ORDERS, "id", true));
        MYSQL_8.forEach(d -> assertEquals("SELECT m, UNIX_TIMESTAMP(SYSDATE(6)), UNIX_TIMESTAMP(" + HELD_BACK_MYSQL
                + ") FROM (SELECT MAX(`id`) AS m FROM `shop`.`orders`) AS id_window", d.reads().idWindow(ORDERS, "id", true),
                d.server().toString()));
        assertForBoth("SELECT m, UNIX_TIMESTAMP(SYSDATE(6)) FROM (SELECT MAX(`id`) AS m FROM `shop`.`orders`)"
                + " AS id_window", d -> d.reads().idWindow(ORDERS, "id", false));
    }

    @Test
    void shouldSelectNewIdsAfterCursorUpToTheSafeId() {
        assertForBoth("/* tablesync read */ SELECT `id`, `name` FROM `shop`.`orders` WHERE `id` >= ? AND `id` > ?"
                + " AND `id` <= ? ORDER BY `id` LIMIT 500",
                d -> d.reads().selectNewIds(ORDERS, List.of(ID, NAME), "id", true, 500));
        assertForBoth("/* tablesync read */ SELECT `id`, `name` FROM `shop`.`orders` WHERE 1 = 1 AND `id` <= ?"
                + " ORDER BY `id` LIMIT 500", d -> d.reads().selectNewIds(ORDERS, List.of(ID, NAME), "id", false, 500));
    }

    @Test
    void shouldRunTheWatermarkInTheServerZoneInOneStatementOnMariaDbOnly() {
        assertEquals(Optional.of("SET STATEMENT time_zone = @@global.time_zone FOR SELECT 1"),
                MARIADB.reads().inServerZone("SELECT 1"));
        assertEquals(Optional.of("SET STATEMENT time_zone = @@global.time_zone FOR SELECT 1"),
                MARIADB_10_6.reads().inServerZone("SELECT 1"));
        assertEquals(Optional.empty(), MYSQL_84.reads().inServerZone("SELECT 1"));
        assertEquals(Optional.empty(), MYSQL_8018.reads().inServerZone("SELECT 1"));
    }

    @Test
    void shouldReadEngineUniqueKeysAndColumnDigestOfATableInOneStatement() {
        assertEquals(ENGINE_KEYS_AND_COLUMNS, SchemaSql.ENGINE_AND_UNIQUE_KEYS);
    }

    /** Also part of StateDialect's per-run statement. */
    public static final String ENGINE_KEYS_AND_COLUMNS = "SELECT CONCAT(t.ENGINE, '|', COALESCE((SELECT"
            + " GROUP_CONCAT(s.INDEX_NAME, ':', s.COLUMN_NAME ORDER BY s.INDEX_NAME, s.SEQ_IN_INDEX SEPARATOR ',')"
            + " FROM information_schema.STATISTICS s WHERE s.TABLE_SCHEMA = ? AND s.TABLE_NAME = ? AND s.NON_UNIQUE = 0),"
            + " ''), '|', COALESCE((SELECT SUM(CRC32(CONCAT_WS('|', c.ORDINAL_POSITION, CAST(c.COLUMN_NAME AS BINARY),"
            + " CAST(c.COLUMN_TYPE AS BINARY), c.IS_NULLABLE, CAST(COALESCE(c.CHARACTER_SET_NAME, '') AS BINARY),"
            + " CAST(COALESCE(c.COLLATION_NAME, '') AS BINARY), CAST(LOWER(c.EXTRA) AS BINARY))))"
            + " FROM information_schema.COLUMNS c WHERE c.TABLE_SCHEMA = ? AND c.TABLE_NAME = ?), 0))"
            + " FROM information_schema.TABLES t WHERE t.TABLE_SCHEMA = ? AND t.TABLE_NAME = ?";

    @Test
    void shouldCreateTheSourcesSecondaryIndexesNonUniqueWithPrefixesButNotFullTextOrTheKey() {
        Column code = column("code", "varchar", "varchar(100)", false);
        TableSchema source = new TableSchema(ORDERS, "InnoDB", List.of(ID, code, NAME, UPDATED_AT), List.of("id"),
                List.of(new Index("PRIMARY", true, List.of("id")), new Index("code_u", true, List.of("code")),
                        new Index("by_name", false, List.of("name", "id"), List.of(10, 0), "BTREE"),
                        new Index("ft", false, List.of("name"), List.of(0), "FULLTEXT"),
                        new Index("id_again", true, List.of("id"))));
        assertForBoth("CREATE TABLE `orders` (\n  `id` bigint(20) NOT NULL,\n  `code` varchar(100) NOT NULL,"
                + "\n  `name` varchar(100) NULL,\n  `updated_at` datetime(6) NULL,\n  PRIMARY KEY (`id`),"
                + "\n  KEY `code_u` (`code`),\n  KEY `by_name` (`name`(10), `id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
                d -> d.schema().createTable(TableId.of(null, "orders"), source));
    }

    @Test
    void shouldAskForOneLiveSourceRowUpToACursorValue() {
        assertForBoth("SELECT 1 FROM `shop`.`orders` WHERE `updated_at` <= ? LIMIT 1",
                d -> d.reads().anyRowUpTo(ORDERS, "updated_at", Optional.empty()));
        assertForBoth("SELECT 1 FROM `shop`.`orders` WHERE `id` <= ? AND (`deleted_at` IS NULL) LIMIT 1",
                d -> d.reads().anyRowUpTo(ORDERS, "id", Optional.of(column("deleted_at", "datetime", "datetime", true))));
        assertForBoth("SELECT 1 FROM `shop`.`orders` WHERE `id` <= ? AND (`gone` IS NULL OR `gone` = 0) LIMIT 1",
                d -> d.reads().anyRowUpTo(ORDERS, "id", Optional.of(column("gone", "tinyint", "tinyint(1)", true))));
    }

    @Test
    void shouldCreateTableWithNullabilityCharsetCollationAndCompositePrimaryKey() {
        Column tenant = new Column("tenant", "int", "int(10) unsigned", false, Optional.empty(), Optional.empty(), 0,
                "auto_increment");
        Column label = new Column("label", "varchar", "varchar(100)", true, Optional.of("utf8mb4"),
                Optional.of("utf8mb4_unicode_ci"), 0, "");
        TableSchema source = new TableSchema(ORDERS, "InnoDB", List.of(tenant, ID, label), List.of("tenant", "id"),
                List.of());
        assertForBoth("CREATE TABLE `copy`.`orders` (\n  `tenant` int(10) unsigned NOT NULL,\n  `id` bigint(20) NOT NULL,"
                + "\n  `label` varchar(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL,"
                + "\n  PRIMARY KEY (`tenant`, `id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
                d -> d.schema().createTable(TableId.of("copy", "orders"), source));
    }

    @Test
    void shouldCreateTableWithoutSchemaAndSingleKey() {
        TableSchema source = new TableSchema(ORDERS, "InnoDB", List.of(ID, NAME), List.of("id"), List.of());
        assertForBoth("CREATE TABLE `orders` (\n  `id` bigint(20) NOT NULL,\n  `name` varchar(100) NULL,"
                + "\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
                d -> d.schema().createTable(TableId.of(null, "orders"), source));
    }

    private static String createdColumn(Dialect dialect, Column c) {
        String sql = dialect.schema().createTable(TableId.of(null, "t"), new TableSchema(ORDERS, "InnoDB", List.of(c),
                List.of(c.name()), List.of()));
        return sql.substring(sql.indexOf("\n  ") + 3, sql.indexOf(",\n  PRIMARY KEY"));
    }

    @Test
    void shouldMapMySql0900CollationToUca1400NoPadOnMariaDb1011() {
        assertEquals("`k` varchar(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_uca1400_nopad_ai_ci NOT NULL",
                createdColumn(MARIADB, text("k", "utf8mb4", "utf8mb4_0900_ai_ci")));
    }

    @Test
    void shouldDropMySql0900CollationOnMariaDbBefore1010() {
        assertEquals("`k` varchar(50) CHARACTER SET utf8mb4 NOT NULL",
                createdColumn(MARIADB_10_6, text("k", "utf8mb4", "utf8mb4_0900_ai_ci")));
    }

    @Test
    void shouldMapMySql0900BinToNoPadBinOnEveryMariaDb() {
        assertEquals("`k` varchar(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL",
                createdColumn(MARIADB, text("k", "utf8mb4", "utf8mb4_0900_bin")));
        assertEquals(Optional.of("utf8mb4_nopad_bin"), MARIADB_10_6.schema().collation("utf8mb4_0900_bin"));
    }

    @Test
    void shouldDropMariaDbUca1400CollationOnMySql() {
        assertEquals("`k` varchar(50) CHARACTER SET utf8mb4 NOT NULL",
                createdColumn(MYSQL_84, text("k", "utf8mb4", "utf8mb4_uca1400_ai_ci")));
    }

    @Test
    void shouldDropMariaDbNoPadCollationsOnMySql() {
        assertEquals(Optional.empty(), MYSQL_84.schema().collation("utf8mb4_nopad_bin"));
        assertEquals(Optional.empty(), MYSQL_84.schema().collation("utf8mb4_unicode_520_nopad_ci"));
    }

    @Test
    void shouldKeepCollationsThatExistOnBothServers() {
        assertEquals(Optional.of("utf8mb4_0900_ai_ci"), MYSQL_84.schema().collation("utf8mb4_0900_ai_ci"));
        assertEquals(Optional.of("utf8mb4_uca1400_ai_ci"), MARIADB.schema().collation("utf8mb4_uca1400_ai_ci"));
        assertEquals(Optional.of("latin1_swedish_ci"), MARIADB.schema().collation("latin1_swedish_ci"));
    }

    @Test
    void shouldBulkLoadAStreamInTheDefaultTabFormatAsUtf8OnBothServers() {
        assertForBoth("LOAD DATA LOCAL INFILE 'tablesync-stream' INTO TABLE `shop`.`orders` CHARACTER SET utf8mb4"
                + " FIELDS TERMINATED BY '\\t' ENCLOSED BY '' ESCAPED BY '\\\\'"
                + " LINES TERMINATED BY '\\n' STARTING BY '' (`id`, `name`)",
                d -> d.writes().loadData(ORDERS, List.of(ID, NAME)));
    }

    @Test
    void shouldBulkLoadBinaryColumnsAsHexThroughVariablesOnBothServers() {
        Column photo = column("photo", "blob", "blob", true);
        Column flags = column("flags", "bit", "bit(8)", true);
        assertForBoth("LOAD DATA LOCAL INFILE 'tablesync-stream' INTO TABLE `shop`.`orders` CHARACTER SET utf8mb4"
                + " FIELDS TERMINATED BY '\\t' ENCLOSED BY '' ESCAPED BY '\\\\'"
                + " LINES TERMINATED BY '\\n' STARTING BY '' (`id`, @b1, `name`, @b3)"
                + " SET `photo` = UNHEX(@b1), `flags` = UNHEX(@b3)",
                d -> d.writes().loadData(ORDERS, List.of(ID, photo, NAME, flags)));
    }

    private static final TableId STAGING = TableId.of("shop", "_tablesync_staging");
    private static final String EXISTING_TS = "`shop`.`orders`.`updated_at`";

    @Test
    void shouldMakeAFreshNullableKeylessTemporaryStagingTableWithTheTargetsTypesAndCharsets() {
        Column latin = new Column("name", "varchar", "varchar(20)", false, Optional.of("latin1"),
                Optional.of("latin1_swedish_ci"), 0, "");
        Column stamp = new Column("updated_at", "timestamp", "timestamp(6)", false, Optional.empty(), Optional.empty(),
                6, "on update current_timestamp(6)");
        String columns = " (`id` bigint(20) NULL, `name` varchar(20) CHARACTER SET latin1 NULL,"
                + " `updated_at` timestamp(6) NULL)";
        assertEquals(List.of("CREATE OR REPLACE TEMPORARY TABLE `shop`.`_tablesync_staging`" + columns),
                MARIADB.writes().freshStaging(STAGING, List.of(ID, latin, stamp)));
        assertEquals(List.of("DROP TEMPORARY TABLE IF EXISTS `shop`.`_tablesync_staging`",
                "CREATE TEMPORARY TABLE `shop`.`_tablesync_staging`" + columns),
                MYSQL_84.writes().freshStaging(STAGING, List.of(ID, latin, stamp)));
        assertForBoth("DROP TEMPORARY TABLE IF EXISTS `shop`.`_tablesync_staging`", d -> d.writes().dropStaging(STAGING));
    }

    @Test
    void shouldUpsertFromStagingWithTheUpsertsOverwriteClauseOnMariaDbAndOldMySql() {
        String expected = "INSERT INTO `shop`.`orders` (`id`, `name`, `updated_at`)"
                + " SELECT `id`, `name`, `updated_at` FROM `shop`.`_tablesync_staging`"
                + " ON DUPLICATE KEY UPDATE `name` = VALUES(`name`), `updated_at` = VALUES(`updated_at`)";
        for (Dialect d : List.of(MARIADB, MARIADB_10_6, MYSQL_8018)) {
            assertEquals(expected, d.writes().upsertFromStaging(ORDERS, STAGING, List.of(ID, NAME, UPDATED_AT), List.of("id"),
                    ConflictPolicy.OVERWRITE, Optional.empty()));
        }
    }

    @Test
    void shouldUpsertFromStagingThroughADerivedTableAliasOnMySql84() {
        assertEquals("INSERT INTO `shop`.`orders` (`id`, `name`, `updated_at`)"
                + " SELECT * FROM (SELECT `id`, `name`, `updated_at` FROM `shop`.`_tablesync_staging`)"
                + " AS _tablesync_new"
                + " ON DUPLICATE KEY UPDATE `name` = _tablesync_new.`name`, `updated_at` = _tablesync_new.`updated_at`",
                MYSQL_84.writes().upsertFromStaging(ORDERS, STAGING, List.of(ID, NAME, UPDATED_AT), List.of("id"),
                        ConflictPolicy.OVERWRITE, Optional.empty()));
    }

    @Test
    void shouldNameTheTargetsCurrentValuesWithItsTableWhenUpsertingFromStaging() {
        for (ConflictPolicy policy : List.of(ConflictPolicy.SKIP, ConflictPolicy.ERROR)) {
            assertEquals("INSERT INTO `shop`.`orders` (`id`, `name`) SELECT `id`, `name` FROM"
                    + " `shop`.`_tablesync_staging` ON DUPLICATE KEY UPDATE `id` = `shop`.`orders`.`id`",
                    MARIADB.writes().upsertFromStaging(ORDERS, STAGING, List.of(ID, NAME), List.of("id"), policy,
                            Optional.empty()), policy.name());
            assertEquals("INSERT INTO `shop`.`orders` (`id`, `name`) SELECT * FROM (SELECT `id`, `name` FROM"
                    + " `shop`.`_tablesync_staging`) AS _tablesync_new ON DUPLICATE KEY UPDATE"
                    + " `id` = `shop`.`orders`.`id`",
                    MYSQL_84.writes().upsertFromStaging(ORDERS, STAGING, List.of(ID, NAME), List.of("id"), policy,
                            Optional.empty()), policy.name());
        }
        String newerValues = "(VALUES(`updated_at`) > " + EXISTING_TS + " OR (" + EXISTING_TS + " IS NULL AND"
                + " VALUES(`updated_at`) IS NOT NULL))";
        assertEquals("INSERT INTO `shop`.`orders` (`id`, `updated_at`, `name`) SELECT `id`, `updated_at`, `name`"
                + " FROM `shop`.`_tablesync_staging` ON DUPLICATE KEY UPDATE"
                + " `name` = IF(" + newerValues + ", VALUES(`name`), `shop`.`orders`.`name`),"
                + " `updated_at` = IF(" + newerValues + ", VALUES(`updated_at`), " + EXISTING_TS + ")",
                MARIADB.writes().upsertFromStaging(ORDERS, STAGING, List.of(ID, UPDATED_AT, NAME), List.of("id"),
                        ConflictPolicy.NEWER_WINS, Optional.of("updated_at")));
        String newerAlias = "(_tablesync_new.`updated_at` > " + EXISTING_TS + " OR (" + EXISTING_TS + " IS NULL AND"
                + " _tablesync_new.`updated_at` IS NOT NULL))";
        assertEquals("INSERT INTO `shop`.`orders` (`id`, `updated_at`, `name`) SELECT * FROM (SELECT `id`,"
                + " `updated_at`, `name` FROM `shop`.`_tablesync_staging`) AS _tablesync_new ON DUPLICATE KEY UPDATE"
                + " `name` = IF(" + newerAlias + ", _tablesync_new.`name`, `shop`.`orders`.`name`),"
                + " `updated_at` = IF(" + newerAlias + ", _tablesync_new.`updated_at`, " + EXISTING_TS + ")",
                MYSQL_84.writes().upsertFromStaging(ORDERS, STAGING, List.of(ID, UPDATED_AT, NAME), List.of("id"),
                        ConflictPolicy.NEWER_WINS, Optional.of("updated_at")));
    }

    @Test
    void shouldProbeForAnyRowAfterTheKeyCursor() {
        assertForBoth("SELECT 1 FROM `shop`.`orders` WHERE `id` >= ? AND `id` > ? LIMIT 1",
                d -> d.writes().anyRowAfter(ORDERS, List.of("id"), true));
        assertForBoth("SELECT 1 FROM `shop`.`orders` WHERE 1 = 1 LIMIT 1",
                d -> d.writes().anyRowAfter(ORDERS, List.of("id"), false));
    }

    @Test
    void shouldDeleteBySingleKeyBatch() {
        assertForBoth("DELETE FROM `shop`.`orders` WHERE `id` IN (?, ?, ?)",
                d -> d.writes().deleteByKey(ORDERS, List.of("id"), 3));
    }

    @Test
    void shouldDeleteByCompositeKeyAsOrOfAndsOnEveryServer() {
        for (Dialect d : EVERY_SERVER) {
            assertEquals("DELETE FROM `shop`.`orders` WHERE (`tenant` = ? AND `id` = ?) OR (`tenant` = ? AND `id` = ?)",
                    d.writes().deleteByKey(ORDERS, List.of("tenant", "id"), 2), d.server().toString());
        }
    }

    private static Column withDefault(String name, String dataType, String columnType, boolean nullable,
            String extra, String rawDefault) {
        return new Column(name, dataType, columnType, nullable, Optional.empty(), Optional.empty(), 0, extra,
                Optional.ofNullable(rawDefault));
    }

    @Test
    void shouldAddColumnAfterItsSourceNeighbourWithTypeCharsetCollationNullabilityAndDefault() {
        Column note = new Column("note", "varchar", "varchar(20)", false, Optional.of("utf8mb4"),
                Optional.of("utf8mb4_unicode_ci"), 0, "", Optional.of("'n/a'"));
        assertForBoth("ALTER TABLE `shop`.`orders` ADD COLUMN `note` varchar(20) CHARACTER SET utf8mb4 COLLATE"
                + " utf8mb4_unicode_ci NOT NULL DEFAULT 'n/a' AFTER `name`",
                d -> d.schema().addColumn(ORDERS, note, MARIADB.schema().defaultSql(note), Optional.of("name")));
    }

    @Test
    void shouldAddFirstColumnWithoutDefault() {
        assertForBoth("ALTER TABLE `shop`.`orders` ADD COLUMN `name` varchar(100) NULL FIRST",
                d -> d.schema().addColumn(ORDERS, NAME, Optional.empty(), Optional.empty()));
    }

    @Test
    void shouldMapTheAddedColumnsCollationForTheTargetServer() {
        Column k = new Column("k", "varchar", "varchar(50)", true, Optional.of("utf8mb4"),
                Optional.of("utf8mb4_0900_ai_ci"), 0, "", Optional.empty());
        assertEquals("ALTER TABLE `shop`.`orders` ADD COLUMN `k` varchar(50) CHARACTER SET utf8mb4 COLLATE"
                + " utf8mb4_uca1400_nopad_ai_ci NULL AFTER `id`",
                MARIADB.schema().addColumn(ORDERS, k, Optional.empty(), Optional.of("id")));
        assertEquals("ALTER TABLE `shop`.`orders` ADD COLUMN `k` varchar(50) CHARACTER SET utf8mb4 COLLATE"
                + " utf8mb4_0900_ai_ci NULL AFTER `id`",
                MYSQL_84.schema().addColumn(ORDERS, k, Optional.empty(), Optional.of("id")));
    }

    @Test
    void shouldWrapATextDefaultInParenthesesOnMySqlOnly() {
        Column doc = new Column("doc", "text", "text", true, Optional.of("utf8mb4"), Optional.empty(), 0, "",
                Optional.of("'[]'"));
        assertEquals("ALTER TABLE `shop`.`orders` ADD COLUMN `doc` text CHARACTER SET utf8mb4 NULL DEFAULT '[]'"
                + " AFTER `id`", MARIADB.schema().addColumn(ORDERS, doc, MARIADB.schema().defaultSql(doc), Optional.of("id")));
        assertEquals("ALTER TABLE `shop`.`orders` ADD COLUMN `doc` text CHARACTER SET utf8mb4 NULL DEFAULT ('[]')"
                + " AFTER `id`", MYSQL_84.schema().addColumn(ORDERS, doc, MARIADB.schema().defaultSql(doc), Optional.of("id")));
    }

    @Test
    void shouldTakeMariaDbDefaultsAsTheSqlTheyAlreadyAre() {
        assertEquals(Optional.of("'it''s'"), MARIADB.schema().defaultSql(withDefault("a", "varchar", "varchar(9)", true, "",
                "'it''s'")));
        assertEquals(Optional.of("'a\\\\b'"), MARIADB.schema().defaultSql(withDefault("a", "varchar", "varchar(9)", true, "",
                "'a\\\\b'")));
        assertEquals(Optional.of("-1.50"), MARIADB.schema().defaultSql(withDefault("h", "decimal", "decimal(5,2)", true, "",
                "-1.50")));
        assertEquals(Optional.of("b'101'"), MARIADB.schema().defaultSql(withDefault("f", "bit", "bit(3)", true, "", "b'101'")));
        assertEquals(Optional.of("CURRENT_TIMESTAMP(6)"), MARIADB.schema().defaultSql(withDefault("e", "datetime",
                "datetime(6)", true, "", "current_timestamp(6)")));
        assertEquals(Optional.of("CURRENT_TIMESTAMP"), MARIADB.schema().defaultSql(withDefault("e", "timestamp",
                "timestamp", true, "", "current_timestamp()")));
        assertEquals(Optional.of("(uuid())"), MARIADB.schema().defaultSql(withDefault("k", "char", "char(36)", true, "",
                "uuid()")));
        assertEquals(Optional.empty(), MARIADB.schema().defaultSql(withDefault("i", "varchar", "varchar(5)", true, "", "NULL")));
        assertEquals(Optional.of("'NULL'"), MARIADB.schema().defaultSql(withDefault("j", "varchar", "varchar(5)", true, "",
                "'NULL'")));
        assertEquals(Optional.empty(), MARIADB.schema().defaultSql(withDefault("d", "int", "int(11)", false, "", null)));
    }

    @Test
    void shouldQuoteMySqlDefaultValuesAndParenthesizeItsExpressions() {
        assertEquals(Optional.of("'it''s a\\\\b'"), MYSQL_84.schema().defaultSql(withDefault("a", "varchar", "varchar(9)",
                true, "", "it's a\\b")));
        assertEquals(Optional.of("'5'"), MYSQL_84.schema().defaultSql(withDefault("c", "int", "int", true, "", "5")));
        assertEquals(Optional.of("'NULL'"), MYSQL_84.schema().defaultSql(withDefault("j", "varchar", "varchar(5)", true, "",
                "NULL")));
        assertEquals(Optional.of("b'101'"), MYSQL_84.schema().defaultSql(withDefault("f", "bit", "bit(3)", true, "", "b'101'")));
        assertEquals(Optional.of("CURRENT_TIMESTAMP(6)"), MYSQL_84.schema().defaultSql(withDefault("e", "datetime",
                "datetime(6)", true, "DEFAULT_GENERATED on update CURRENT_TIMESTAMP(6)", "CURRENT_TIMESTAMP(6)")));
        assertEquals(Optional.of("(uuid())"), MYSQL_84.schema().defaultSql(withDefault("k", "char", "char(36)", true,
                "DEFAULT_GENERATED", "uuid()")));
        assertEquals(Optional.empty(), MYSQL_84.schema().defaultSql(withDefault("i", "varchar", "varchar(5)", true, "", null)));
    }

    @Test
    void shouldTellServersApartByUuidOnMySqlAndByHostPortDatadirAndIdOnMariaDb() {
        assertEquals("SELECT CONCAT('mysql ', @@server_uuid), @@lower_case_table_names", MYSQL_8018.serverIdentity());
        assertEquals("SELECT CONCAT_WS(' ', 'mariadb', @@hostname, @@port, @@datadir, @@server_id),"
                + " @@lower_case_table_names", MARIADB.serverIdentity());
    }

    @Test
    void shouldUndoTheEscapingOfQuotesAndBackslashesInMySqlExpressionDefaults() {
        // information_schema on MySQL 8.0.31 for DEFAULT (concat('it''s', 'a\\b')):
        String shown = "concat(_utf8mb4\\'it\\\\\\'s\\',_utf8mb4\\'a\\\\\\\\b\\')";
        assertEquals(Optional.of("(concat(convert('it\\'s' using utf8mb4),convert('a\\\\b' using utf8mb4)))"),
                MYSQL_84.schema().defaultSql(withDefault("x", "varchar", "varchar(40)", true, "DEFAULT_GENERATED", shown)));
    }

    @Test
    void shouldKeepIntroducedPlainAsciiLiteralsAndConvertTheOthersForMariaDb() {
        // DEFAULT (concat(N'n''x', _latin1'l\\t', 'ab' COLLATE utf8mb4_bin, upper('`q`'), _binary'\'', 0x41)):
        String shown = "concat(_utf8mb3\\'n\\\\\\'x\\',_latin1\\'l\\\\\\\\t\\',(_utf8mb4\\'ab\\' collate utf8mb4_bin),"
                + "upper(_utf8mb4\\'`q`\\'),_binary\\'\\\\\\'\\',0x41)";
        assertEquals(Optional.of("(concat(convert('n\\'x' using utf8mb3),convert('l\\\\t' using latin1),"
                + "(_utf8mb4'ab' collate utf8mb4_bin),upper(_utf8mb4'`q`'),convert('\\'' using binary),0x41))"),
                MYSQL_84.schema().defaultSql(withDefault("x", "varchar", "varchar(40)", true, "DEFAULT_GENERATED", shown)));
    }

    @Test
    void shouldReadMySqlsDoubleEncodedNonAsciiExpressionTextAsTheCharactersItEncodes() {
        // information_schema on MySQL 8.0.31 for DEFAULT (concat('\u00e9\u20ac', 'x')): each UTF-8 byte one character.
        String shown = "concat(_utf8mb4\\'\u00c3\u00a9\u00e2\u0082\u00ac\\',_utf8mb4\\'x\\')";
        assertEquals(Optional.of("(concat(convert('\u00e9\u20ac' using utf8mb4),_utf8mb4'x'))"), MYSQL_84.schema().defaultSql(withDefault("x",
                "varchar", "varchar(40)", true, "DEFAULT_GENERATED", shown)));
        assertEquals(Optional.of("(concat(convert('\u00e9' using latin1)))"), MYSQL_84.schema().defaultSql(withDefault("x", "varchar",
                "varchar(40)", true, "DEFAULT_GENERATED", "concat(_latin1\\'\u00e9\\')")), "not a double encoding");
    }

    @Test
    void shouldTakeBinaryLiteralDefaultsFromTheRawTableDefinitionOnBothServers() {
        Column mysql = withDefault("b", "varbinary", "varbinary(4)", true, "", "0x");
        Column mariaDb = withDefault("b", "varbinary", "varbinary(4)", true, "", "'\\0?'");
        assertEquals(true, MYSQL_84.schema().defaultNeedsTableDefinition(mysql));
        assertEquals(true, MARIADB.schema().defaultNeedsTableDefinition(mariaDb));
        assertEquals(false, MARIADB.schema().defaultNeedsTableDefinition(withDefault("b", "varbinary", "varbinary(4)", true, "",
                "unhex('00FF')")));
        assertEquals(false, MYSQL_84.schema().defaultNeedsTableDefinition(withDefault("b", "blob", "blob", true,
                "DEFAULT_GENERATED", "0x00ff")));
        assertEquals(false, MYSQL_84.schema().defaultNeedsTableDefinition(withDefault("s", "varchar", "varchar(4)", true, "",
                "x")));
        byte[] shown = new byte[] {'\n', ' ', ' ', '`', 'b', '`', ' ', 'v', 'a', 'r', 'b', 'i', 'n', 'a', 'r', 'y', ' ',
            'D', 'E', 'F', 'A', 'U', 'L', 'T', ' ', '\'', '\\', '0', (byte) 0xFF, '\'', '\'', '\\', '\\', '\\', 'Z',
            '\'', ',', '\n'};
        assertEquals(Optional.of("x'00FF275C1A'"), MYSQL_84.schema().defaultSql(mysql, shown));
        assertEquals(Optional.of("x'00FF275C1A'"), MARIADB.schema().defaultSql(mariaDb, shown));
        assertEquals("SHOW CREATE TABLE `shop`.`orders`", MARIADB.schema().showCreateTable(ORDERS));
    }
}
