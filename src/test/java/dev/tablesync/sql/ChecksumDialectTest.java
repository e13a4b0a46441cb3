package dev.tablesync.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.tablesync.schema.Column;
import dev.tablesync.schema.TableId;
import dev.tablesync.schema.TableSchema;
import dev.tablesync.sql.ChecksumDialect.Form;
import dev.tablesync.sql.ChecksumDialect.HashColumn;

/** Pins the exact verify SQL per server: these statements run against production tables on both sides. */
class ChecksumDialectTest {

    private static final ServerVersion MARIADB = ServerVersion.mariadb(10, 11, 19);
    private static final ServerVersion MYSQL = ServerVersion.mysql(8, 4, 2);
    private static final List<ChecksumDialect> BOTH = List.of(new ChecksumDialect(MARIADB),
            new ChecksumDialect(MYSQL));
    private static final TableId ORDERS = TableId.of("shop", "orders");
    private static final List<HashColumn> HASHED = List.of(new HashColumn("id", false, Form.AS_IS),
            new HashColumn("name", true, Form.UTF8MB4), new HashColumn("w", true, Form.DOUBLE));
    private static final String ROW_HASH = "CRC32(CONCAT_WS('#', `id`, CONVERT(`name` USING utf8mb4), (`w` + 0E0),"
            + " CONCAT(ISNULL(`name`), ISNULL(`w`))))";

    private static Column column(String name, String dataType, String columnType, boolean nullable, String charset) {
        return new Column(name, dataType, columnType, nullable, Optional.ofNullable(charset),
                Optional.ofNullable(charset).map(c -> c + "_bin"), 0, "");
    }

    private static void assertForBoth(String expected, java.util.function.Function<ChecksumDialect, String> sql) {
        BOTH.forEach(d -> assertEquals(expected, sql.apply(d)));
    }

    @Test
    void shouldHashEachRowAsCrc32OfItsTextWithNullMarkers() {
        assertEquals(ROW_HASH, ChecksumDialect.rowHashExpression(HASHED));
        assertEquals("CRC32(CONCAT_WS('#', `a``b`))",
                ChecksumDialect.rowHashExpression(List.of(new HashColumn("a`b", false, Form.AS_IS))));
    }

    @Test
    void shouldAggregateAChunkAsCountAndXorOfSpreadHashes() {
        assertForBoth(Dialect.READ_TAG + "SELECT COUNT(*), BIT_XOR(" + ROW_HASH + " * 2654435761) FROM `shop`.`orders`",
                d -> d.chunkChecksum(ORDERS, HASHED, List.of("id"), false, false));
        assertForBoth(Dialect.READ_TAG + "SELECT COUNT(*), BIT_XOR(" + ROW_HASH + " * 2654435761) FROM `shop`.`orders`"
                + " WHERE `id` > ? AND `id` <= ?", d -> d.chunkChecksum(ORDERS, HASHED, List.of("id"), true, true));
        assertForBoth(Dialect.READ_TAG + "SELECT COUNT(*), BIT_XOR(" + ROW_HASH + " * 2654435761) FROM `shop`.`orders`"
                + " WHERE `a` >= ? AND (`a` > ? OR (`a` = ? AND `b` > ?)) AND `a` <= ? AND (`a` < ? OR (`a` = ? AND"
                + " `b` <= ?))", d -> d.chunkChecksum(ORDERS, HASHED, List.of("a", "b"), true, true));
        assertEquals(List.of(0, 0, 0, 1), ChecksumDialect.boundBindOrder(2));
        assertEquals(List.of(0), ChecksumDialect.boundBindOrder(1));
    }

    @Test
    void shouldEndAChunkWhereTheSourceSaysAfterRowsKeys() {
        assertForBoth(Dialect.READ_TAG + "SELECT `id` FROM `shop`.`orders` ORDER BY `id` LIMIT 1 OFFSET 999",
                d -> d.chunkEnd(ORDERS, List.of("id"), false, 1000));
        assertForBoth(Dialect.READ_TAG + "SELECT `a`, `b` FROM `shop`.`orders` WHERE `a` >= ? AND (`a` > ? OR (`a` = ? AND `b` > ?))"
                + " ORDER BY `a`, `b` LIMIT 1 OFFSET 4999", d -> d.chunkEnd(ORDERS, List.of("a", "b"), true, 5000));
    }

    @Test
    void shouldDrillDownInAnOrderJavaCanFollow() {
        List<Column> key = List.of(column("tenant", "int", "int(11)", false, null),
                column("code", "varchar", "varchar(20)", false, "latin1"),
                column("ref", "varchar", "varchar(20)", false, "utf8mb4"));
        assertForBoth(Dialect.READ_TAG + "SELECT `tenant`, `code`, `ref`, " + ROW_HASH + " FROM `shop`.`orders` WHERE `tenant` <= ?"
                + " AND (`tenant` < ? OR (`tenant` = ? AND (`code` < ? OR (`code` = ? AND `ref` <= ?))))"
                + " ORDER BY `tenant`, CAST(CONVERT(`code` USING utf8mb4) AS BINARY), CAST(`ref` AS BINARY)",
                d -> d.keyHashes(ORDERS, HASHED, key, false, true));
    }

    @Test
    void shouldLeaveOutSourceRowsMarkedDeletedByATemporalColumn() {
        Optional<Column> deletedAt = Optional.of(column("deleted_at", "datetime", "datetime(6)", true, null));
        assertForBoth(Dialect.READ_TAG + "SELECT COUNT(*), BIT_XOR(" + ROW_HASH + " * 2654435761) FROM `shop`.`orders`"
                + " WHERE `id` > ? AND `id` <= ? AND `deleted_at` IS NULL",
                d -> d.chunkChecksum(ORDERS, HASHED, List.of("id"), true, true, deletedAt));
        assertForBoth(Dialect.READ_TAG + "SELECT COUNT(*), BIT_XOR(" + ROW_HASH + " * 2654435761) FROM `shop`.`orders`"
                + " WHERE `deleted_at` IS NULL",
                d -> d.chunkChecksum(ORDERS, HASHED, List.of("id"), false, false, deletedAt));
        assertForBoth(Dialect.READ_TAG + "SELECT `id` FROM `shop`.`orders` WHERE `deleted_at` IS NULL ORDER BY `id` LIMIT 1 OFFSET 999",
                d -> d.chunkEnd(ORDERS, List.of("id"), false, 1000, deletedAt));
        assertForBoth(Dialect.READ_TAG + "SELECT `id`, " + ROW_HASH + " FROM `shop`.`orders` WHERE `id` > ? AND `deleted_at` IS NULL"
                + " ORDER BY `id`", d -> d.keyHashes(ORDERS, HASHED, List.of(column("id", "bigint", "bigint(20)",
                        false, null)), true, false, deletedAt));
        // IS NULL also matches the zero date of a NOT NULL DATE/DATETIME, which the sync sees as marked deleted
        assertEquals("FALSE", ChecksumDialect.liveRows(column("d", "date", "date", false, null)));
    }

    @Test
    void shouldLeaveOutSourceRowsMarkedDeletedByAnIntegerOrBitColumn() {
        Optional<Column> flag = Optional.of(column("is`deleted", "tinyint", "tinyint(1)", false, null));
        String live = "(`is``deleted` IS NULL OR `is``deleted` = 0)";
        assertForBoth(Dialect.READ_TAG + "SELECT COUNT(*), BIT_XOR(" + ROW_HASH + " * 2654435761) FROM `shop`.`orders`"
                + " WHERE `a` >= ? AND (`a` > ? OR (`a` = ? AND `b` > ?)) AND `a` <= ? AND (`a` < ? OR (`a` = ? AND"
                + " `b` <= ?)) AND " + live, d -> d.chunkChecksum(ORDERS, HASHED, List.of("a", "b"), true, true, flag));
        assertForBoth(Dialect.READ_TAG + "SELECT `a`, `b` FROM `shop`.`orders` WHERE `a` >= ? AND (`a` > ? OR (`a` = ? AND `b` > ?))"
                + " AND " + live + " ORDER BY `a`, `b` LIMIT 1 OFFSET 4999",
                d -> d.chunkEnd(ORDERS, List.of("a", "b"), true, 5000, flag));
        assertForBoth(Dialect.READ_TAG + "SELECT `id`, " + ROW_HASH + " FROM `shop`.`orders` WHERE `id` <= ? AND " + live
                + " ORDER BY `id`", d -> d.keyHashes(ORDERS, HASHED, List.of(column("id", "int", "int(11)", false,
                        null)), false, true, flag));
        assertEquals("(`gone` IS NULL OR `gone` = 0)",
                ChecksumDialect.liveRows(column("gone", "bit", "bit(1)", true, null)));
    }

    @Test
    void shouldOfferTheLockFreeWholeTableChecksumOnMariaDbOnly() {
        assertEquals(Optional.of(Dialect.READ_TAG + "CHECKSUM TABLE `shop`.`orders` EXTENDED"),
                new ChecksumDialect(MARIADB).wholeTableChecksum(ORDERS));
        // MySQL documents a read lock on InnoDB tables during CHECKSUM TABLE: writers would wait
        assertEquals(Optional.empty(), new ChecksumDialect(MYSQL).wholeTableChecksum(ORDERS));
    }

    @Test
    void shouldReadAndDeleteRepairedKeysByValue() {
        assertForBoth(Dialect.READ_TAG + "SELECT `id`, `name` FROM `shop`.`orders` WHERE `id` IN (?, ?, ?)",
                d -> d.rowsByKeys(ORDERS, "`id`, `name`", List.of("id"), 3));
        // not (a, b) IN ((?, ?), ...): MariaDB misses rows that way when a key column is latin1
        assertForBoth("DELETE FROM `shop`.`orders` WHERE (`a` = ? AND `b` = ?) OR (`a` = ? AND `b` = ?)",
                d -> d.deleteByKeys(ORDERS, List.of("a", "b"), 2));
    }

    @Test
    void shouldCompareFloatsOnlyBetweenServersThatPrintThemAlike() {
        List<Column> cols = List.of(column("id", "bigint", "bigint(20)", false, null),
                column("f", "float", "float", true, null), column("d", "double", "double", false, null));
        TableSchema target = new TableSchema(ORDERS, "InnoDB", cols, List.of("id"), List.of());

        ChecksumDialect.RowHash same = ChecksumDialect.rowHash(cols, MARIADB, target, ServerVersion.mariadb(10, 11, 6));
        assertEquals(List.of(new HashColumn("id", false, Form.AS_IS), new HashColumn("f", true, Form.DOUBLE),
                new HashColumn("d", false, Form.AS_IS)), same.source());
        assertEquals(same.source(), same.target());
        assertTrue(same.notCompared().isEmpty());

        ChecksumDialect.RowHash cross = ChecksumDialect.rowHash(cols, MARIADB, target, MYSQL);
        assertEquals(List.of(new HashColumn("id", false, Form.AS_IS)), cross.source());
        assertEquals(List.of("f: FLOAT/DOUBLE text differs between MariaDB 10.11.19 and MySQL 8.4.2",
                "d: FLOAT/DOUBLE text differs between MariaDB 10.11.19 and MySQL 8.4.2"), cross.notCompared());
    }

    @Test
    void shouldLeaveOutJsonThatAMysqlTargetReformats() {
        List<Column> source = List.of(column("id", "int", "int(11)", false, null),
                column("doc", "longtext", "longtext", true, "utf8mb4"));
        TableSchema mysqlJson = new TableSchema(ORDERS, "InnoDB", List.of(source.get(0),
                column("doc", "json", "json", true, null)), List.of("id"), List.of());
        ChecksumDialect.RowHash hash = ChecksumDialect.rowHash(source, MARIADB, mysqlJson, MYSQL);
        assertEquals(List.of("doc: the MySQL JSON target re-formats the source's text"), hash.notCompared());

        // MySQL JSON copied into MariaDB keeps MySQL's text: comparable
        TableSchema mariaText = new TableSchema(ORDERS, "InnoDB", source, List.of("id"), List.of());
        assertTrue(ChecksumDialect.rowHash(mysqlJson.columns(), MYSQL, mariaText, MARIADB).notCompared().isEmpty());
    }

    @Test
    void shouldMarkNullsWhenEitherSideIsNullable() {
        Column strict = column("name", "varchar", "varchar(10)", false, "utf8mb4");
        Column loose = column("name", "varchar", "varchar(10)", true, "utf8mb4");
        TableSchema target = new TableSchema(ORDERS, "InnoDB", List.of(loose), List.of("name"), List.of());
        ChecksumDialect.RowHash hash = ChecksumDialect.rowHash(List.of(strict), MARIADB, target, MARIADB);
        assertEquals(List.of(new HashColumn("name", true, Form.AS_IS)), hash.source());
        assertEquals(hash.source(), hash.target());
    }
}
