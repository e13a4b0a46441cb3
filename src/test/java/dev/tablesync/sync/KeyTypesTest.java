package dev.tablesync.sync;

import dev.tablesync.testsupport.TestConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.tablesync.config.Mapping;

/**
 * Every column type {@link ValueFidelityTest} knows, as the leading column of a primary key, paged
 * in batches far smaller than the table: the server orders a key by its own rules (ENUM by member
 * index, SET by bitmask, BIT as a number), and each page must continue exactly where the last ended.
 */
class KeyTypesTest {

    /**
     * Reads continue after a cursor once per segment of 100 batches (and after the first batch of
     * changes): with batches of one row, 70 rows per key value put several cursors inside and
     * between the values of every type.
     */
    private static final int ROWS_PER_KEY = 70;

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("keytypes");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    /** Name, key type, and key values as SQL, in an order that differs from the server's where it can. */
    static Stream<Arguments> keyTypes() {
        return Stream.of(
                Arguments.of("tinyint", "TINYINT", List.of("127", "-128", "0", "5")),
                Arguments.of("tinyint_unsigned", "TINYINT UNSIGNED", List.of("255", "0", "9")),
                Arguments.of("smallint", "SMALLINT", List.of("32767", "-32768", "10")),
                Arguments.of("mediumint", "MEDIUMINT", List.of("-8388608", "8388607", "2")),
                Arguments.of("int", "INT", List.of("-2147483648", "2147483647", "10", "9")),
                Arguments.of("bigint", "BIGINT", List.of("-9223372036854775808", "9223372036854775807",
                        "9007199254740993", "9007199254740992")),
                Arguments.of("bigint_unsigned", "BIGINT UNSIGNED", List.of("18446744073709551615",
                        "18446744073709551614", "0", "10")),
                Arguments.of("decimal", "DECIMAL(65,30)", List.of(
                        "-12345678901234567890123456789012345.123456789012345678901234567890", "0.000000000000000000000000000001",
                        "10", "9.5")),
                Arguments.of("decimal0", "DECIMAL(10,0)", List.of("9999999999", "-9999999999", "10", "9")),
                Arguments.of("float", "FLOAT", List.of("1.2345678", "-3.4e38", "0", "10", "9.75")),
                Arguments.of("double", "DOUBLE", List.of("2.2250738585072014e-308", "1.7976931348623157e308", "-0.1",
                        "10", "9")),
                Arguments.of("bit1", "BIT(1)", List.of("b'1'", "b'0'")),
                Arguments.of("bit64", "BIT(64)", List.of("b'1111111111111111111111111111111111111111111111111111111111111111'",
                        "b'1'", "256", "255", "0")),
                Arguments.of("binary", "BINARY(8)", List.of("0x0001000000000000", "0x00", "0xFF", "0x0A")),
                Arguments.of("varbinary", "VARBINARY(300)", List.of("0x00FF00", "X''", "0xFF", "0x0A00", "0x0A")),
                Arguments.of("char", "CHAR(10)", List.of("'pad'", "''", "'Z'", "'a'", "'ü'")),
                Arguments.of("varchar", "VARCHAR(300)", List.of("'héllo 🎉 trail  '", "''", "'Z'", "'a'", "'tab\\there'")),
                Arguments.of("latin1", "VARCHAR(20) CHARACTER SET latin1", List.of("'café'", "'ü'", "'z'", "'ß'",
                        "'Ö'")),
                Arguments.of("enum", "ENUM('z','a','m')", List.of("'z'", "'a'", "'m'")),
                Arguments.of("set", "SET('x','y','z')", List.of("''", "'x'", "'y'", "'x,y'", "'z'", "'x,z'",
                        "'y,z'", "'x,y,z'")),
                Arguments.of("datetime6", "DATETIME(6)", List.of("'2024-03-10 02:30:00.123456'",
                        "'1000-01-01 00:00:00'", "'0000-00-00 00:00:00'", "'2024-03-10 02:30:00.123457'")),
                Arguments.of("datetime", "DATETIME", List.of("'1000-01-01 00:00:00'", "'0000-00-00 00:00:00'",
                        "'9999-12-31 23:59:59'")),
                Arguments.of("timestamp6", "TIMESTAMP(6)", List.of("'2038-01-19 03:14:07.999999'",
                        "'1970-01-01 00:00:01.000000'", "'2000-01-01 00:00:00.5'")),
                Arguments.of("date", "DATE", List.of("'9999-12-31'", "'0000-00-00'", "'2024-02-29'")),
                Arguments.of("time", "TIME(6)", List.of("'-838:59:59.000000'", "'00:00:00.000001'",
                        "'-00:00:00.000001'", "'838:59:59'", "'12:00'")),
                Arguments.of("year", "YEAR", List.of("2155", "0000", "1901", "2000")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyTypes")
    void shouldCopyEveryKeyTypeAcrossManyBatchBoundariesInSnapshotsAndSharedTimestampChanges(String name, String type,
            List<String> values) {
        String table = "key_" + name;
        fx.source("CREATE TABLE " + table + " (k " + type + " NOT NULL, i INT NOT NULL, v VARCHAR(10) NOT NULL,"
                + " updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
                + " PRIMARY KEY (k, i), INDEX (updated_at)) DEFAULT CHARSET=utf8mb4");
        StringBuilder insert = new StringBuilder("INSERT INTO " + table + " (k, i, v) VALUES ");
        for (int r = 0; r < values.size() * ROWS_PER_KEY; r++) {
            insert.append(r == 0 ? "" : ", ").append('(').append(values.get(r / ROWS_PER_KEY)).append(", ")
                    .append(r % ROWS_PER_KEY).append(", 'v')");
        }
        fx.source("SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'", insert.toString());
        long rows = SyncFixture.count(fx.sourceServer, fx.sourceDb, "SELECT COUNT(*) FROM " + table);
        String compare = "SELECT k, i, v, updated_at FROM " + table + " ORDER BY k, i";
        Mapping m = TestConfig.edit(fx.mapping("key-" + name.replace('_', '-'), table)).withBatchSize(1).withBulkBatchSize(50).build();

        SyncFixture.Counted counted = fx.runCounted(m, "Com_load");
        RunResult snapshot = counted.run();
        assertTrue(counted.target().get("Com_load") > 0, "the snapshot was bulk-loaded");
        assertEquals(rows, snapshot.rowsRead(), "bulk snapshot");
        fx.assertSameRows(compare);

        // Every row changes at one shared time (a statement's NOW(6)): paging by (ts, key) runs on the key alone.
        fx.source("UPDATE " + table + " SET v = 'changed', updated_at = NOW(6)");
        RunResult changed = fx.runOk(m);
        assertEquals(rows, changed.rowsRead(), "changes sharing one timestamp");
        fx.assertSameRows(compare);

        // A resync over a non-empty target upserts every row.
        fx.target("DELETE FROM " + table + " WHERE i <> 0");
        RunResult resync = fx.run(m, RunObserver.NONE, true);
        assertTrue(resync.succeeded(), () -> resync.summary());
        assertEquals(rows, resync.rowsRead(), "upserted snapshot");
        fx.assertSameRows(compare);
    }

    /** The case: ENUM members declared out of alphabetical order, thousands of rows, batches of 7. */
    @Test
    void shouldCopyAnEnumKeyedTableWhoseMembersAreNotInAlphabeticalOrder() {
        fx.source("CREATE TABLE enum_pk (e ENUM('z','a','m') NOT NULL, i INT NOT NULL,"
                + " updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
                + " PRIMARY KEY (e, i), INDEX (updated_at))");
        fx.numbers(1000);
        fx.source("INSERT INTO enum_pk (e, i) SELECT m.e, n FROM nums, (SELECT 'z' AS e UNION ALL SELECT 'a'"
                + " UNION ALL SELECT 'm') AS m");
        Mapping m = TestConfig.edit(fx.mapping("enum-pk", "enum_pk")).withBatchSize(7).withBulkBatchSize(7).build();

        assertEquals(3000, fx.runOk(m).rowsRead());
        fx.assertSameRows("SELECT e, i, updated_at FROM enum_pk ORDER BY e, i");

        fx.source("UPDATE enum_pk SET updated_at = NOW(6) WHERE i <= 10");
        assertEquals(30, fx.runOk(m).rowsRead());
        fx.assertSameRows("SELECT e, i, updated_at FROM enum_pk ORDER BY e, i");
    }
}
