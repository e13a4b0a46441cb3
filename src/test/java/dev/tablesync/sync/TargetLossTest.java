package dev.tablesync.sync;

import dev.tablesync.testsupport.TestConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.config.Mapping;
import dev.tablesync.config.OnTargetLoss;

/**
 * A target that lost the rows its checkpoint vouches for (the table dropped or emptied by hand)
 * is copied again, or stops the mapping under on-target-loss=fail; never written on as if whole.
 */
class TargetLossTest {

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("loss");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    /** 1,000 rows copied, then one incremental run that keeps the target's definition. */
    private static Mapping synced(String table) {
        fx.numbers(1000);
        fx.source("CREATE TABLE " + table + " (id INT PRIMARY KEY, customer VARCHAR(20) NOT NULL,"
                + " updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
                + " INDEX (updated_at), INDEX by_customer (customer, id))",
                "INSERT INTO " + table + " (id, customer) SELECT n, CONCAT('c', n) FROM nums");
        Mapping m = fx.mapping(table.replace('_', '-'), table);
        assertEquals("snapshot+incremental", fx.runOk(m).kind());
        assertEquals("incremental", fx.runOk(m).kind());
        return m;
    }

    @Test
    void shouldResnapshotWhenTheTargetTableWasDroppedAfterACheckpoint() {
        Mapping m = synced("dropped");
        fx.target("DROP TABLE dropped");
        fx.source("UPDATE dropped SET customer = 'x' WHERE id <= 5");

        RunResult run = fx.runOk(m);

        assertEquals(1000, fx.targetCount("SELECT COUNT(*) FROM dropped"), run.summary());
        fx.assertSameRows("SELECT * FROM dropped ORDER BY id");
        assertTrue(run.kind().startsWith("resnapshot"), run.kind());
        assertEquals("incremental", fx.runOk(m).kind(), "copied once, then incremental again");
    }

    @Test
    void shouldResnapshotWhenTheTargetWasTruncated() {
        Mapping m = synced("truncated");
        fx.target("TRUNCATE TABLE truncated");
        fx.source("UPDATE truncated SET customer = 'x' WHERE id = 7");

        RunResult run = fx.runOk(m);

        assertEquals(1000, fx.targetCount("SELECT COUNT(*) FROM truncated"), run.summary());
        fx.assertSameRows("SELECT * FROM truncated ORDER BY id");
        assertTrue(run.kind().startsWith("resnapshot"), run.kind());
    }

    @Test
    void shouldFailWhenTheTargetLostItsRowsAndOnTargetLossIsFail() {
        fx.source("CREATE TABLE empty_src (id INT PRIMARY KEY, updated_at DATETIME(6) NOT NULL, INDEX (updated_at))");
        Mapping empty = TestConfig.edit(fx.mapping("empty-src", "empty_src")).withOnTargetLoss(OnTargetLoss.FAIL).build();
        fx.runOk(empty);
        assertEquals("incremental", fx.runOk(empty).kind(), "an empty target of an empty source lost nothing");
        fx.source("CREATE TABLE gone (id INT PRIMARY KEY, deleted_at DATETIME(6) NULL, updated_at DATETIME(6) NOT NULL"
                + " DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX (updated_at))",
                "INSERT INTO gone (id) VALUES (1), (2)");
        Mapping hard = TestConfig.edit(fx.mapping("gone", "gone")).withDeletes(java.util.Optional.of("deleted_at"),
                dev.tablesync.config.DeleteMode.HARD).withOnTargetLoss(OnTargetLoss.FAIL).build();
        fx.runOk(hard);
        fx.source("UPDATE gone SET deleted_at = NOW(6)");
        assertEquals(2, fx.runOk(hard).counts().deleted());
        assertEquals("incremental", fx.runOk(hard).kind(), "a target emptied by hard deletes lost nothing");

        Mapping m = TestConfig.edit(synced("lost")).withOnTargetLoss(OnTargetLoss.FAIL).build();
        String checkpoint = "SELECT * FROM " + SyncFixture.STATE_SCHEMA + ".checkpoint WHERE mapping_id = 'lost'";
        List<String> before = fx.targetRows(checkpoint);
        fx.target("DELETE FROM lost");
        fx.source("UPDATE lost SET customer = 'x' WHERE id = 7");

        RunResult run = fx.run(m);

        assertFalse(run.succeeded(), run.summary());
        String message = run.error().orElseThrow().getMessage();
        assertTrue(message.contains("mapping lost") && message.contains("loss_tgt.lost") && message.contains("empty")
                && message.contains("on-target-loss"), message);
        assertEquals(0, fx.targetCount("SELECT COUNT(*) FROM lost"), "nothing written into the emptied target");
        assertEquals(before, fx.targetRows(checkpoint), "the checkpoint is kept for the operator to decide");

        fx.target("DROP TABLE lost");
        RunResult dropped = fx.run(m);
        assertFalse(dropped.succeeded(), dropped.summary());
        String why = dropped.error().orElseThrow().getMessage();
        assertTrue(why.contains("did not exist") && why.contains("on-target-loss"), why);
        assertEquals(before, fx.targetRows(checkpoint));
    }

    @Test
    void shouldCreateTheSourcesSecondaryIndexesOnACreatedTarget() {
        fx.source("CREATE TABLE indexed (id INT PRIMARY KEY, code VARCHAR(10) NOT NULL, a INT NULL, b INT NULL,"
                + " updated_at DATETIME(6) NOT NULL, UNIQUE KEY code_u (code), INDEX ab (a, b), INDEX (updated_at))",
                "INSERT INTO indexed VALUES (1, 'x', 1, 2, NOW(6))");
        fx.runOk(fx.mapping("indexed", "indexed"));

        String indexes = "SELECT INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME FROM information_schema.STATISTICS"
                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'indexed' ORDER BY INDEX_NAME, SEQ_IN_INDEX";
        assertEquals(List.of("[ab, 1, 1, a]", "[ab, 1, 2, b]", "[code_u, 1, 1, code]", "[PRIMARY, 0, 1, id]",
                "[updated_at, 1, 1, updated_at]"), SyncFixture.rows(fx.targetServer, fx.targetDb, indexes)
                        .stream().map(TargetLossTest::text).sorted(String.CASE_INSENSITIVE_ORDER).toList(),
                "secondary indexes, the unique one as non-unique");
    }

    private static String text(String hexRow) {
        String[] cells = hexRow.substring(1, hexRow.length() - 1).split(", ");
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < cells.length; i++) {
            out.append(i == 0 ? "" : ", ").append(new String(java.util.HexFormat.of().parseHex(cells[i]),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        return out.append(']').toString();
    }
}
