package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.sql.SchemaSql;
import dev.tablesync.config.Mapping;
import dev.tablesync.schema.TableId;
import dev.tablesync.schema.TableSchema;
import dev.tablesync.sql.Dialect;
import dev.tablesync.sql.SchemaReader;

/**
 * The target's definition kept between runs of a mapping: used by incremental runs, checked for
 * engine and key changes on every run, forgotten by a failed run, never used for a full resync.
 */
class KnownTargetTest {

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("known");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    /** Copied, then one incremental run that reads the target and keeps its definition. */
    private static Mapping synced(String table) {
        Mapping m = fx.syncedThreeRows(table, "");
        assertEquals("incremental", fx.runOk(m).kind());
        return m;
    }

    private static String error(RunResult run) {
        assertFalse(run.succeeded(), "the run should have failed: " + run.summary());
        return run.error().orElseThrow().getMessage();
    }

    /** Counted on the run's own target session, so other test classes' services cannot add to the counts. */
    @Test
    void shouldSkipReadingTheTargetDefinitionOnIdleRunsOnceARunHasReadIt() {
        Mapping m = fx.mapping("idle", "idle");
        fx.source("CREATE TABLE idle (id INT PRIMARY KEY, updated_at DATETIME(6) NOT NULL, INDEX (updated_at))",
                "INSERT INTO idle VALUES (1, NOW(6))");
        fx.runOk(m); // creates the target: its definition is read again next time
        long[] statements = new long[3];
        for (int i = 0; i < statements.length; i++) {
            SyncFixture.Counted idle = fx.runCounted(m, "Questions", "Com_rollback");
            assertEquals(0, idle.run().rowsRead());
            assertEquals(0, idle.target().get("Com_rollback"), "a successful run has nothing to roll back");
            statements[i] = idle.target().get("Questions");
        }
        assertTrue(statements[0] - statements[1] == 3 && statements[1] == statements[2],
                "ENGINE, COLUMNS and STATISTICS of the target should be read on the first idle run only, and idle"
                        + " runs should send a constant number of statements; statements per run: "
                        + Arrays.toString(statements));
    }

    @Test
    void shouldFailOneRunWhenAnOperatorDropsAKnownTargetColumnThenReportItAsEver() {
        Mapping m = synced("dropped");
        fx.target("ALTER TABLE dropped DROP COLUMN note");
        fx.source("UPDATE dropped SET note = 'x' WHERE id = 2");
        String checkpoint = "SELECT * FROM " + SyncFixture.STATE_SCHEMA + ".checkpoint WHERE mapping_id = 'dropped'";
        java.util.List<String> before = fx.targetRows(checkpoint);

        String first = error(fx.run(m));
        String next = error(fx.run(m));

        assertTrue(first.contains("note"), first);
        assertTrue(next.contains("lacks columns [note]"), "the next run reads the target again: " + next);
        assertEquals(3, fx.targetCount("SELECT COUNT(*) FROM dropped"));
        assertEquals(before, fx.targetRows(checkpoint), "the failed runs committed no checkpoint");
    }

    @Test
    void shouldNotWriteThroughATargetKeyChangedBehindItsBack() {
        Mapping m = synced("rekeyed");
        fx.target("ALTER TABLE rekeyed DROP PRIMARY KEY, ADD PRIMARY KEY (id, qty)");
        fx.source("UPDATE rekeyed SET qty = 21 WHERE id = 2");

        String message = error(fx.run(m));

        assertTrue(message.contains("has key [id, qty]"), message);
        assertEquals(3, fx.targetCount("SELECT COUNT(*) FROM rekeyed"), "no row added beside the old one");
    }

    @Test
    void shouldReadTheTargetDefinitionAgainForAFullResync() {
        Mapping m = synced("resynced");
        fx.target("ALTER TABLE resynced DROP COLUMN qty");

        String message = error(fx.run(m, RunObserver.NONE, true));

        assertTrue(message.contains("lacks columns [qty]"), message);
    }

    @Test
    void shouldSeeTheSameEngineUniqueKeysAndColumnsOnTheServerAsInTheDefinitionItRead() throws SQLException {
        fx.target("CREATE TABLE keyed (id INT NOT NULL, a INT NOT NULL, b INT NOT NULL, c INT NULL, d INT NULL,"
                + " PRIMARY KEY (id), UNIQUE KEY zz (b, a), UNIQUE KEY Aa (c), KEY plain (d))");
        TableId id = TableId.of(fx.targetDb, "keyed");
        try (Connection c = fx.targetServer.connect(fx.targetDb);
                PreparedStatement ps = c.prepareStatement(SchemaSql.ENGINE_AND_UNIQUE_KEYS)) {
            TableSchema read = SchemaReader.read(c, id).orElseThrow();
            for (int i = 0; i < 3; i++) {
                ps.setString(2 * i + 1, fx.targetDb);
                ps.setString(2 * i + 2, "keyed");
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertTrue(rs.getString(1).startsWith("InnoDB|Aa:c,PRIMARY:id,zz:b,zz:a|"), rs.getString(1));
                assertEquals(rs.getString(1), read.engineAndUniqueKeys());
            }
            fx.target("ALTER TABLE keyed DROP INDEX zz");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertNotEquals(rs.getString(1), read.engineAndUniqueKeys(), "a dropped unique key is seen");
            }
            TableSchema reread = SchemaReader.read(c, id).orElseThrow();
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(rs.getString(1), reread.engineAndUniqueKeys());
            }
            fx.target("ALTER TABLE keyed MODIFY d BIGINT NULL");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertNotEquals(rs.getString(1), reread.engineAndUniqueKeys(), "a column retyped by hand is seen");
            }
        }
    }
}
