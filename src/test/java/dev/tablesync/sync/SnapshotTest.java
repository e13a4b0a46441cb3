package dev.tablesync.sync;

import dev.tablesync.schema.Mode;
import dev.tablesync.testsupport.TestConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.checkpoint.Checkpoint;
import dev.tablesync.checkpoint.Phase;
import dev.tablesync.config.Mapping;

/** Snapshot: keyset chunks, resume after a crash, the incremental start point, schema checks. */
class SnapshotTest {

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("snapshot");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    private static void createFilled(String name, int rows) {
        fx.numbers(rows);
        fx.source("CREATE TABLE `" + name + "` (id INT PRIMARY KEY, v VARCHAR(20),"
                + " updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
                + " INDEX (updated_at))",
                "INSERT INTO `" + name + "` (id, v) SELECT n, CONCAT('v', n) FROM nums");
    }

    private static void assertSame(String table) {
        String q = "SELECT * FROM `" + table + "` ORDER BY 1, 2";
        assertEquals(fx.sourceRows(q), fx.targetRows(q));
    }

    @Test
    void shouldResumeSnapshotAfterCrashWithoutDuplicates() {
        createFilled("crash_snap", 50);
        Mapping m = TestConfig.edit(fx.mapping("crash-snap", "crash_snap")).withBatchSize(10).withBulkBatchSize(10).build();

        RunResult crashed = fx.run(m, IncrementalSyncTest.crashAfter(2), false);
        assertFalse(crashed.succeeded());
        assertEquals(20, fx.targetCount("SELECT COUNT(*) FROM crash_snap"));
        Checkpoint cp = crashed.checkpoint().orElseThrow();
        assertEquals(Phase.SNAPSHOT, cp.phase());
        assertEquals("20", cp.cursor().orElseThrow().values().get(0));

        RunResult resumed = fx.runOk(m);
        assertEquals(30, resumed.rowsRead(), "continues after key 20");
        assertEquals("snapshot+incremental", resumed.kind());
        assertSame("crash_snap");
    }

    @Test
    void shouldNotLoseChangesMadeWhileTheSnapshotRuns() {
        createFilled("moving", 30);
        Mapping m = TestConfig.edit(fx.mapping("moving", "moving")).withBatchSize(10).withBulkBatchSize(10).build();
        RunObserver changeCopiedRow = new RunObserver() {
            @Override
            public void batchCommitted(Checkpoint checkpoint, WriteCounts batch) {
                if (checkpoint.rowsCopied() == 10) {
                    fx.source("UPDATE moving SET v = 'changed' WHERE id = 3");
                }
            }
        };
        assertTrue(fx.run(m, changeCopiedRow, false).succeeded());

        fx.runOk(m);

        assertSame("moving");
        assertEquals(1, fx.targetCount("SELECT COUNT(*) FROM moving WHERE v = 'changed'"));
    }

    @Test
    void shouldSyncCompositeKeyAndReservedWordsAndBackticksInNames() {
        fx.source("CREATE TABLE `order` (`group` INT NOT NULL, `key` VARCHAR(10) NOT NULL, `select` INT,"
                + " `we``ird col` VARCHAR(10), updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
                + " ON UPDATE CURRENT_TIMESTAMP(6), PRIMARY KEY (`group`, `key`), INDEX (updated_at))",
                "INSERT INTO `order` (`group`, `key`, `select`, `we``ird col`) VALUES"
                        + " (1,'a',1,'x'),(1,'b',2,'y'),(2,'a',3,'z'),(2,'b',4,'w'),(3,'a',5,'v')");
        Mapping m = TestConfig.edit(fx.mapping("order", "order")).withBatchSize(2).withBulkBatchSize(2).build();
        fx.runOk(m);
        fx.source("UPDATE `order` SET `select` = 42, `we``ird col` = 'q' WHERE `group` = 2",
                "INSERT INTO `order` (`group`, `key`, `select`) VALUES (9, 'z', 9)");

        RunResult run = fx.runOk(m);

        assertEquals(3, run.rowsRead());
        assertSame("order");
    }

    @Test
    void shouldCopyAgainWhenTheTrackingColumnChanges() {
        fx.source("CREATE TABLE retrack (id INT PRIMARY KEY, v INT, updated_at DATETIME(6) NOT NULL,"
                + " changed_at DATETIME(6) NOT NULL, INDEX (updated_at), INDEX (changed_at))",
                "INSERT INTO retrack VALUES (1, 1, NOW(6), NOW(6)), (2, 2, NOW(6), NOW(6))");
        Mapping m = fx.mapping("retrack", "retrack");
        assertEquals("timestamp(updated_at)", fx.runOk(m).tracking());
        assertEquals("incremental", fx.runOk(m).kind());

        RunResult changed = fx.runOk(TestConfig.edit(m).withMode(Mode.AUTO, "changed_at").build());

        assertEquals("snapshot+incremental", changed.kind());
        assertEquals("timestamp(changed_at)", changed.tracking());
        assertEquals("changed_at", changed.checkpoint().orElseThrow().cursor().orElseThrow().columns().get(0));
    }

    @Test
    void shouldCopyWholeTableEveryRunInFullMode() {
        fx.source("CREATE TABLE nokey_ts (code VARCHAR(5) PRIMARY KEY, qty INT)",
                "INSERT INTO nokey_ts VALUES ('a', 1), ('b', 2)");
        Mapping m = fx.mapping("full", "nokey_ts");
        RunResult first = fx.runOk(m);
        assertEquals("full", first.tracking());
        fx.source("UPDATE nokey_ts SET qty = 5 WHERE code = 'a'");

        RunResult second = fx.runOk(m);

        assertEquals("full", second.kind());
        assertEquals(2, second.rowsRead());
        assertEquals(1, second.counts().updated());
        assertSame("nokey_ts");
    }

    @Test
    void shouldRefuseTableWithoutKeyAndSayWhatToAdd() {
        fx.source("CREATE TABLE heap (a INT, b INT)");

        RunResult run = fx.run(fx.mapping("heap", "heap"));

        assertFalse(run.succeeded());
        String message = run.error().orElseThrow().getMessage();
        assertTrue(message.contains("has no primary key") && message.contains("ADD PRIMARY KEY"), message);
    }

    @Test
    void shouldRefuseTargetMissingSourceColumns() {
        fx.source("CREATE TABLE narrow (id INT PRIMARY KEY, a INT, b INT)");
        fx.target("CREATE TABLE narrow (id INT PRIMARY KEY, a INT)");

        RunResult run = fx.run(fx.mapping("narrow", "narrow"));

        assertFalse(run.succeeded());
        String message = run.error().orElseThrow().getMessage();
        assertTrue(message.contains("lacks columns [b]"), message);
    }

    @Test
    void shouldFailMissingSourceTableWithClearMessage() {
        RunResult run = fx.run(fx.mapping("ghost", "no_such_table"));

        assertFalse(run.succeeded());
        String message = run.error().orElseThrow().getMessage();
        assertTrue(message.contains("source table " + fx.sourceDb + ".no_such_table does not exist")
                && message.contains("tablesync.mappings.ghost.source-table"), message);
    }
}
