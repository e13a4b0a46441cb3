package dev.tablesync.sync;

import dev.tablesync.testsupport.TestConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.config.ConflictPolicy;
import dev.tablesync.config.DeleteMode;
import dev.tablesync.config.Mapping;
import dev.tablesync.schema.TableId;
import dev.tablesync.sql.Dialect;
import dev.tablesync.verify.Verifier;
import dev.tablesync.verify.VerifyReport;

/**
 * Lookups by composite key (conflict {@code error}, hard deletes) find the right target rows when
 * a key column's charset or collation is not the connection's utf8mb4 and the values are not ASCII.
 */
class KeyCharsetLookupTest {

    /** Key columns in latin1, in a binary collation and in utf8mb4, mixed in one composite key. */
    private static final String KEY_COLUMNS = "a VARCHAR(10) CHARACTER SET latin1 NOT NULL,"
            + " b VARCHAR(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,"
            + " c VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_bin NOT NULL,";
    private static final String ROWS = "('é', 'ß', 'ä', 'one', '2024-01-01'), ('ß', 'é', 'ö', 'two', '2024-01-01'),"
            + " ('x', 'ü', 'é', 'three', '2024-01-01')";

    static SyncFixture fx;
    static ExecutorService executor;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("keycharset");
        executor = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void tearDown() {
        executor.shutdownNow();
        fx.close();
    }

    private static String ddl(String table, String extra) {
        return "CREATE TABLE " + table + " (" + KEY_COLUMNS + " v VARCHAR(10)," + extra
                + " updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
                + " INDEX (updated_at),"
                + " PRIMARY KEY (a, b, c))";
    }

    @Test
    void shouldAcceptIdenticalExistingRowsWithNonAsciiLatin1KeysUnderPolicyError() {
        fx.source(ddl("e_same", ""), "INSERT INTO e_same (a, b, c, v, updated_at) VALUES " + ROWS);
        fx.target(ddl("e_same", ""), "INSERT INTO e_same (a, b, c, v, updated_at) VALUES " + ROWS);

        RunResult run = fx.runOk(TestConfig.edit(fx.mapping("e-same", "e_same")).withConflict(ConflictPolicy.ERROR).build());

        assertEquals(3, run.counts().unchanged(), run.summary());
        fx.assertSameRows("SELECT * FROM e_same ORDER BY a, b, c");
    }

    @Test
    void shouldRefuseADifferingRowWithNonAsciiLatin1KeysNamingItsKeyUnderPolicyError() {
        fx.source(ddl("e_diff", ""), "INSERT INTO e_diff (a, b, c, v, updated_at) VALUES " + ROWS);
        fx.target(ddl("e_diff", ""), "INSERT INTO e_diff (a, b, c, v, updated_at) VALUES ('ß', 'é', 'ö', 'other', '2024-01-01')");

        RunResult run = fx.run(TestConfig.edit(fx.mapping("e-diff", "e_diff")).withConflict(ConflictPolicy.ERROR).build());

        assertFalse(run.succeeded(), run.summary());
        String message = run.error().orElseThrow().getMessage();
        assertTrue(message.contains("(a=ß, b=é, c=ö)") && message.contains("[v]"), message);
        assertEquals(1, fx.targetCount("SELECT COUNT(*) FROM e_diff"), "nothing of the batch was written");
    }

    @Test
    void shouldHardDeleteExactlyTheFlaggedRowsWithNonAsciiLatin1Keys() {
        fx.source(ddl("h_del", " is_deleted TINYINT NOT NULL DEFAULT 0,"),
                "INSERT INTO h_del (a, b, c, v, updated_at) VALUES " + ROWS);
        Mapping m = TestConfig.edit(fx.mapping("h-del", "h_del")).withDeletes(Optional.empty(), DeleteMode.HARD).build();
        fx.runOk(m);
        fx.source("UPDATE h_del SET is_deleted = 1 WHERE v IN ('one', 'three')");

        RunResult run = fx.runOk(m);

        assertEquals(2, run.counts().deleted(), run.summary());
        assertEquals(1, fx.targetCount("SELECT COUNT(*) FROM h_del"));
        assertEquals(1, fx.targetCount("SELECT COUNT(*) FROM h_del WHERE v = 'two'"));
    }

    @Test
    void shouldRepairDifferingAndExtraRowsWithNonAsciiLatin1KeysWhenAVerifyRepairs() {
        fx.source(ddl("v_rep", ""), "INSERT INTO v_rep (a, b, c, v, updated_at) VALUES " + ROWS);
        Mapping m = fx.mapping("v-rep", "v_rep");
        fx.runOk(m);
        fx.target("UPDATE v_rep SET v = 'changed' WHERE v = 'two'",
                "INSERT INTO v_rep (a, b, c, v, updated_at) VALUES ('ß', 'ß', 'ß', 'extra', '2024-01-01')");

        VerifyReport repaired = new Verifier(m, fx.dataSources, SyncFixture.STATE_SCHEMA, executor, () -> false,
                Clock.systemUTC()).execute(true, UUID.randomUUID().toString(), true);

        assertEquals(RunStatus.SUCCESS.label(), repaired.status(), repaired.summary());
        assertEquals(0, repaired.unrepaired(), repaired.summary());
        fx.assertSameRows("SELECT * FROM v_rep ORDER BY a, b, c");
    }

    /** The lookup must stay a primary-key range read on a table far larger than the batch, not a scan. */
    @Test
    void shouldLookUpCompositeKeysThroughThePrimaryKey() throws Exception {
        fx.target(ddl("big", ""), "INSERT INTO big (a, b, c, v, updated_at) VALUES " + ROWS);
        for (int i = 0; i < 9; i++) { // up to 1536 rows; the key column holds 10 characters
            fx.target("INSERT INTO big (a, b, c, v, updated_at) SELECT CONCAT(a, '" + i + "'), b, c, v, updated_at"
                    + " FROM big");
        }
        fx.target("ANALYZE TABLE big");
        try (Connection c = fx.dataSources.connect("target")) {
            Dialect dialect = fx.dataSources.dialect("target", c);
            String sql = dialect.writes().selectExisting(TableId.of(null, "big"), List.of(), List.of("a", "b", "c"), 50);
            assertEquals(List.of("PRIMARY"), keysUsed(c, "EXPLAIN " + sql.replace("SELECT  FROM", "SELECT * FROM")));
            sql = dialect.writes().deleteByKey(TableId.of(null, "big"), List.of("a", "b", "c"), 50);
            assertEquals(List.of("PRIMARY"), keysUsed(c, "EXPLAIN " + sql));
        }
    }

    private static List<String> keysUsed(Connection c, String explain) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(explain)) {
            for (int i = 1; i <= 150; i++) {
                ps.setString(i, i % 3 == 1 ? "é" + (i % 10) : "ß");
            }
            List<String> keys = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString("key") + " " + rs.getString("type"));
                }
            }
            return keys.stream().map(k -> k.startsWith("PRIMARY range") ? "PRIMARY" : k).toList();
        }
    }
}
