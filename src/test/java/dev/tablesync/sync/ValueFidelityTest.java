package dev.tablesync.sync;

import dev.tablesync.testsupport.TestConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.config.Mapping;
import dev.tablesync.testsupport.TestServers;

/** Guarantee 3: every column type round-trips byte-exact, in a snapshot and in incremental runs. */
public class ValueFidelityTest {

    /** Every column type, for tests of other packages too (the native run-once test). */
    public static final String COLUMNS = "id BIGINT UNSIGNED PRIMARY KEY,"
            + " ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, mi MEDIUMINT, i INT, bi BIGINT, bu BIGINT UNSIGNED,"
            + " dec1 DECIMAL(65,30), dec2 DECIMAL(10,0), f FLOAT, d DOUBLE, b1 BIT(1), b64 BIT(64),"
            + " bin BINARY(8), vbin VARBINARY(300), blb BLOB, lblb LONGBLOB,"
            + " ch CHAR(10), vc VARCHAR(300), tx TEXT, ltx LONGTEXT, lat VARCHAR(20) CHARACTER SET latin1,"
            + " j JSON, e ENUM('a','b','c'), st SET('x','y','z'),"
            + " dt DATETIME(6), dt0 DATETIME, ts TIMESTAMP(6) NULL, dte DATE, tm TIME(6), yr YEAR,"
            + " updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
            + " INDEX (updated_at)";
    public static final String COMPARE = "SELECT id, ti, tiu, si, mi, i, bi, bu, dec1, dec2, f + 0E0, d, b1, b64, bin,"
            + " vbin, blb, lblb, ch, vc, tx, ltx, lat, j, e, st, dt, dt0, ts, dte, tm, yr, updated_at"
            + " FROM alltypes ORDER BY id";

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("fidelity");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    @Test
    void shouldRoundTripEveryColumnTypeByteExactInAnyTimeZone() {
        fx.source("CREATE TABLE alltypes (" + COLUMNS + ") DEFAULT CHARSET=utf8mb4");
        fx.source("SET SESSION sql_mode = ''", insertExtremes(), insertNulls(), insertZeros());
        fx.sourceServer.execute(fx.sourceDb, "SET GLOBAL time_zone = '+05:30'");
        fx.targetServer.execute(fx.targetDb, "SET GLOBAL time_zone = '-03:00'");
        try {
            Mapping m = TestConfig.edit(fx.mapping("alltypes", "alltypes")).withBatchSize(2).withBulkBatchSize(2).build();
            fx.runOk(m);
            assertIdentical();

            fx.source("UPDATE alltypes SET dt = '2001-02-03 04:05:06.000007', f = -3.4e38,"
                    + " j = '{\"k\": \"\\\\u00e9\"}', blb = UNHEX('00FF00'), ts = '1999-12-31 23:59:59.999999'"
                    + " WHERE id = 2");
            RunResult incremental = fx.runOk(m);
            assertEquals(1, incremental.rowsRead());
            assertIdentical();

            // The first snapshot bulk-loaded an empty table; a resync over a non-empty one upserts.
            fx.target("DELETE FROM alltypes WHERE id < 18446744073709551615");
            SyncFixture.Counted resync = fx.runCounted(m, RunObserver.NONE, true, "Com_load");
            assertTrue(resync.run().succeeded(), resync.run().summary());
            assertEquals(0, resync.target().get("Com_load"), "every row went through an upsert");
            assertIdentical();
        } finally {
            fx.sourceServer.execute(fx.sourceDb, "SET GLOBAL time_zone = 'SYSTEM'");
            fx.targetServer.execute(fx.targetDb, "SET GLOBAL time_zone = 'SYSTEM'");
        }
    }

    @Test
    void shouldInsertAndUpdateEveryColumnTypeByteExactThroughTheIncrementalStagingTable() {
        fx.source("CREATE TABLE alltypes_inc (" + COLUMNS + ") DEFAULT CHARSET=utf8mb4");
        Mapping m = TestConfig.edit(fx.mapping("alltypes-inc", "alltypes_inc")).withBatchSize(2).build();
        fx.runOk(m);
        fx.source("SET SESSION sql_mode = ''", insertExtremes().replace("alltypes", "alltypes_inc"),
                insertNulls().replace("alltypes", "alltypes_inc"), insertZeros().replace("alltypes", "alltypes_inc"),
                "UPDATE alltypes_inc SET updated_at = NOW(6)");
        String compare = COMPARE.replace("alltypes", "alltypes_inc");
        SyncFixture.Counted counted = fx.runCounted(m, "Com_load");

        RunResult inserted = counted.run();
        assertEquals(2, counted.target().get("Com_load"), "both batches went through the staging table");
        assertEquals(3, inserted.counts().inserted());
        assertEquals(fx.sourceRows(compare), fx.targetRows(compare));

        // Every row changes, in columns of most kinds: the staged rows overwrite existing ones.
        fx.source("SET SESSION sql_mode = ''", "UPDATE alltypes_inc SET ti = -ti, bin = REVERSE(bin),"
                + " vbin = CONCAT(vbin, X'00'), blb = CONCAT(X'5C0A', blb), tx = CONCAT(tx, '\\t'),"
                + " lat = CONCAT(lat, '\u00e9'), dt = dt + INTERVAL 1 SECOND, tm = '-00:00:00.000001',"
                + " j = JSON_ARRAY(j), b64 = b64 ^ 1");
        counted = fx.runCounted(m, "Com_load");

        RunResult updated = counted.run();
        assertEquals(2, counted.target().get("Com_load"));
        assertEquals(3, updated.counts().updated());
        List<String> source = fx.sourceRows(compare);
        assertEquals(3, source.size());
        assertEquals(source, fx.targetRows(compare));
    }

    private static void assertIdentical() {
        List<String> source = fx.sourceRows(COMPARE);
        assertEquals(3, source.size());
        assertEquals(source, fx.targetRows(COMPARE));
        if (TestServers.get().mixedFlavors()) {
            return; // MariaDB and MySQL compute CHECKSUM TABLE differently over the same rows
        }
        assertEquals(fx.sourceRows("CHECKSUM TABLE alltypes EXTENDED").get(0).split(", ")[1],
                fx.targetRows("CHECKSUM TABLE alltypes EXTENDED").get(0).split(", ")[1]);
    }

    public static String insertExtremes() {
        StringBuilder all256 = new StringBuilder();
        for (int b = 0; b < 256; b++) {
            all256.append(String.format("%02X", b));
        }
        return "INSERT INTO alltypes VALUES (18446744073709551615, -128, 255, -32768, -8388608, -2147483648,"
                + " -9223372036854775808, 18446744073709551615,"
                + " -12345678901234567890123456789012345.123456789012345678901234567890, 9999999999,"
                + " 1.2345678, 2.2250738585072014e-308, b'1', b'1111111111111111111111111111111111111111111111111111111111111111',"
                + " 0x0001000000000000, 0x00FF00, UNHEX('" + all256 + "'), REPEAT(UNHEX('" + all256 + "'), 300),"
                + " 'pad', 'héllo 🎉 trail  ', 'tab\\tnewline\\nquote''s \\\\ backslash', REPEAT('ü', 70000), 'café',"
                + " '{\"a\": [1, 2.5, \"x\"], \"b\": null}', 'c', 'x,z',"
                + " '2024-03-10 02:30:00.123456', '1000-01-01 00:00:00', '2038-01-19 03:14:07.999999',"
                + " '9999-12-31', '-838:59:59.000000', 2155, '2024-06-01 12:00:00.000001')";
    }

    public static String insertNulls() {
        return "INSERT INTO alltypes (id, updated_at) VALUES (2, '2024-06-01 12:00:00.000002')";
    }

    public static String insertZeros() {
        return "INSERT INTO alltypes VALUES (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -0.0, 1.7976931348623157e308, b'0', b'0',"
                + " '', '', '', '', '', '', '', '', '', '[]', 'a', '', '0000-00-00 00:00:00', '0000-00-00 00:00:00',"
                + " '1970-01-01 00:00:01.000000', '0000-00-00', '00:00:00.000001', 0000, '2024-06-01 12:00:00.000003')";
    }
}
