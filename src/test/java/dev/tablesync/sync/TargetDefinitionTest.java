package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.config.Mapping;

/**
 * A target column changed by hand so that it cannot hold the source's values stops the mapping
 * with a message naming the column, both definitions and the fix, even when the run would use the
 * definition an earlier run read; a write that the server truncates with only a warning fails.
 */
class TargetDefinitionTest {

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("tdef");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    private Mapping synced(String table) {
        fx.source("CREATE TABLE " + table + " (id INT PRIMARY KEY, note VARCHAR(20) NOT NULL, d DATETIME(6) NOT NULL,"
                + " t TIMESTAMP(6) NULL, updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
                + " ON UPDATE CURRENT_TIMESTAMP(6), INDEX (updated_at))",
                "INSERT INTO " + table + " (id, note, d, t) VALUES (1, 'short', '2024-01-01 10:00:00.123456',"
                        + " '2024-01-01 10:00:00.123456')");
        Mapping m = fx.mapping(table.replace('_', '-'), table);
        assertEquals("snapshot+incremental", fx.runOk(m).kind());
        assertEquals("incremental", fx.runOk(m).kind(), "the next run uses the definition this one read");
        return m;
    }

    @Test
    void shouldRefuseATargetColumnNarrowedByHandNamingColumnAndFix() {
        String[][] cases = {
            {"to_date", "d", "MODIFY d DATE NOT NULL", "d = '2024-02-02 11:11:11.654321'", "datetime(6)"},
            {"to_ts0", "t", "MODIFY t TIMESTAMP(0) NULL", "t = '2024-02-02 11:11:11.654321'", "timestamp(6)"},
            {"to_char5", "note", "MODIFY note VARCHAR(5) NOT NULL", "note = 'longer than five'", "varchar(20)"},
        };
        for (String[] c : cases) {
            String table = c[0];
            Mapping m = synced(table);
            List<String> before = fx.targetRows("SELECT * FROM " + table + " ORDER BY id");
            fx.target("ALTER TABLE " + table + " " + c[2]);
            fx.source("UPDATE " + table + " SET " + c[3] + " WHERE id = 1");

            RunResult run = fx.run(m);

            assertFalse(run.succeeded(), table + ": " + run.summary());
            String message = run.error().orElseThrow().getMessage();
            assertTrue(message.contains("mapping " + m.id()) && message.contains("tdef_tgt." + table)
                    && message.contains("column " + c[1]) && message.contains(c[4])
                    && message.contains("ALTER TABLE `tdef_tgt`.`" + table + "` MODIFY `" + c[1] + "` " + c[4]),
                    table + ": " + message);
            assertEquals(before.size(), fx.targetCount("SELECT COUNT(*) FROM " + table));
        }
    }

    @Test
    void shouldFailAWriteTheTargetTruncatesWithAWarningNamingKeyAndColumn() throws SQLException {
        fx.source("CREATE TABLE warned (id INT PRIMARY KEY, d DATETIME NOT NULL)");
        fx.target("CREATE TABLE warned (id INT PRIMARY KEY, d DATETIME NOT NULL)");
        Mapping m = fx.mapping("warned", "warned");
        try (Connection source = fx.dataSources.connect("source");
                Connection target = fx.dataSources.connect("target")) {
            SyncPlan plan = SyncPlan.prepare(m, source, fx.dataSources.dialect("source", source), target,
                    fx.dataSources.dialect("target", target));
            // Changed after the run checked it: only the write itself can tell.
            fx.target("ALTER TABLE warned MODIFY d DATE NOT NULL");
            target.setAutoCommit(false);
            List<byte[][]> rows = List.of(row("1", "2024-01-01 00:00:00"), row("2", "2024-01-01 10:00:00"));

            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> new BatchWriter(plan, 1 << 20).write(target, rows));

            assertTrue(e.getMessage().contains("(id=2)") && e.getMessage().contains("column d")
                    && e.getMessage().contains("mapping warned"), e.getMessage());
            target.rollback();
        }
    }

    private static byte[][] row(String... values) {
        byte[][] row = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            row[i] = values[i].getBytes(StandardCharsets.UTF_8);
        }
        return row;
    }
}
