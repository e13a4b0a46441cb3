package dev.tablesync.sync;

import dev.tablesync.testsupport.TestConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.config.Mapping;
import dev.tablesync.sql.SqlErrors;

/**
 * A value the (strict) target refuses, though the source holds it and the column definitions
 * agree: the run stops with an error that names the mapping, the target table, the row's key and
 * the column, and the batch rolls back with its checkpoint.
 */
class RefusedRowTest {

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("refused");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    @Test
    void shouldNameTheKeyAndColumnWhenTheTargetRefusesAnEmptyEnumValue() {
        fx.source("CREATE TABLE enum_bad (id INT PRIMARY KEY, e ENUM('a','b') NOT NULL,"
                + " updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
                + " INDEX (updated_at))");
        // A non-strict source stores an invalid member as the empty error value ''.
        fx.source("SET SESSION sql_mode = ''", "INSERT INTO enum_bad (id, e) VALUES (1, 'a'), (2, 'b'), (3, 'a'),"
                + " (4, 'b'), (5, 'a'), (6, 'nope'), (7, 'a'), (8, 'b')");
        Mapping m = TestConfig.edit(fx.mapping("enum-bad", "enum_bad")).withBatchSize(4).withBulkBatchSize(4).build();

        RunResult result = fx.run(m);

        assertRefused(result, "enum-bad", "enum_bad", "(id=6)", "column e", "source value ''");
        assertEquals(4, fx.targetCount("SELECT COUNT(*) FROM enum_bad"), "the first batch only");
        assertEquals(0, fx.targetCount("SELECT COUNT(*) FROM enum_bad WHERE id > 4"));
        // The checkpoint stayed with the committed batch: once the source is fixed, the rest follows.
        fx.source("UPDATE enum_bad SET e = 'b' WHERE id = 6");
        fx.runOk(m);
        fx.assertSameRows("SELECT id, e, updated_at FROM enum_bad ORDER BY id");
    }

    @Test
    void shouldNameTheKeyWhenTheTargetRefusesADateTheSourceAllowedInAChange() {
        fx.source("CREATE TABLE date_bad (id INT PRIMARY KEY, d DATE NOT NULL, note VARCHAR(5) NOT NULL,"
                + " updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
                + " INDEX (updated_at))", "INSERT INTO date_bad (id, d, note) VALUES (1, '2024-01-01', 'x')");
        Mapping m = TestConfig.edit(fx.mapping("date-bad", "date_bad")).withBatchSize(10).build();
        fx.runOk(m);
        // Same column definition on both sides: only the value is wrong, which no definition check sees.
        fx.source("SET SESSION sql_mode = 'ALLOW_INVALID_DATES'",
                "INSERT INTO date_bad (id, d, note) VALUES (2, '2024-02-01', 'ok'), (3, '2024-02-31', 'bad'),"
                        + " (4, '2024-03-01', 'ok')");

        RunResult result = fx.run(m);

        assertRefused(result, "date-bad", "date_bad", "(id=3)", "column d", "source value '2024-02-31'");
        assertEquals(1, fx.targetCount("SELECT COUNT(*) FROM date_bad"), "nothing of the refused batch");
    }

    private static void assertRefused(RunResult result, String mapping, String table, String... parts) {
        assertFalse(result.succeeded(), "the run must fail");
        Throwable error = result.error().orElseThrow();
        String message = error.getMessage();
        assertTrue(message.contains("mapping " + mapping), message);
        assertTrue(message.contains(table), message);
        for (String part : parts) {
            assertTrue(message.contains(part), "missing " + part + " in: " + message);
        }
        assertTrue(message.contains("Fix the value on the source"), message);
        assertEquals("fatal", SqlErrors.category(error).label());
    }
}
