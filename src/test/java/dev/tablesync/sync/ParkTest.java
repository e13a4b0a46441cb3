package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.config.ConflictPolicy;
import dev.tablesync.config.DeleteMode;
import dev.tablesync.config.Mapping;
import dev.tablesync.config.Settings;
import dev.tablesync.conflict.ParkedConflicts;
import dev.tablesync.conflict.ParkedRow;
import dev.tablesync.conflict.Resolution.Action;
import dev.tablesync.conflict.TargetChangedException;
import dev.tablesync.testsupport.TestConfig;

/**
 * Conflict policy park: a row is parked when the target holds other content under its key that the
 * sync did not write; everything else syncs, and a person resolves the parked rows.
 */
class ParkTest {

    private static final String TABLE = " (id INT PRIMARY KEY, v VARCHAR(20), b VARBINARY(4),"
            + " updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
            + " INDEX (updated_at))";

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("park");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    /** Source rows 1..4; the target already has row 1 with other values and row 2 identical. */
    private static Mapping prepare(String table, int maxParked) {
        fx.source("CREATE TABLE " + table + TABLE, "INSERT INTO " + table + " (id, v, b, updated_at) VALUES"
                + " (1, 'src1', 0x00ff, '2024-01-01 10:00:00'), (2, 'src2', NULL, '2024-01-01 10:00:00'),"
                + " (3, 'src3', 0x01, '2024-01-01 10:00:00'), (4, 'src4', 0x02, '2024-01-01 10:00:00')");
        fx.target("CREATE TABLE " + table + TABLE, "INSERT INTO " + table + " (id, v, b, updated_at) VALUES"
                + " (1, 'by hand', 0x00ff, '2024-01-01 10:00:00'), (2, 'src2', NULL, '2024-01-01 10:00:00')");
        return TestConfig.edit(fx.mapping(table, table)).withConflict(ConflictPolicy.PARK).withMaxParked(maxParked)
                .withBatchSize(2).build();
    }

    private static ParkedConflicts conflicts(Mapping m) {
        return new ParkedConflicts(new Settings(Map.of(m.id(), m), Map.of(), false, SyncFixture.STATE_SCHEMA, 1,
                Duration.ofHours(1), Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofMinutes(1), java.util.Optional.empty()), fx.dataSources);
    }

    private static String v(String table, int id) {
        List<String> rows = fx.targetRows("SELECT v FROM " + table + " WHERE id = " + id);
        return rows.isEmpty() ? "gone" : new String(HexFormat.of().parseHex(rows.get(0).substring(1,
                rows.get(0).length() - 1)), StandardCharsets.UTF_8);
    }

    private static String text(ParkedRow row, String column, boolean source) {
        byte[] value = (source ? row.source() : row.target().orElseThrow()).value(column).orElseThrow().orElse(null);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    private static ParkedRow parked(ParkedConflicts c, Mapping m, int id) {
        return c.list(m.id(), 100).rows().stream()
                .filter(r -> new String(r.key().values().get(0), StandardCharsets.US_ASCII).equals("" + id))
                .findFirst().orElseThrow(() -> new AssertionError("row " + id + " is not parked"));
    }

    private static boolean isParked(ParkedConflicts c, Mapping m, int id) {
        return c.list(m.id(), 100).rows().stream()
                .anyMatch(r -> new String(r.key().values().get(0), StandardCharsets.US_ASCII).equals("" + id));
    }

    @Test
    void shouldParkADifferingPreExistingRowInTheSnapshotAndWriteTheRest() {
        Mapping m = prepare("p_snapshot", 10);

        RunResult run = fx.runOk(m);

        ParkedConflicts c = conflicts(m);
        assertEquals(1, c.list(m.id(), 100).parked());
        ParkedRow row = parked(c, m, 1);
        assertEquals("src1", text(row, "v", true));
        assertEquals("by hand", text(row, "v", false));
        assertTrue(row.checkpoint().startsWith("snapshot"), row.checkpoint());
        assertEquals("by hand", v("p_snapshot", 1), "the parked row is not written");
        assertEquals("src3", v("p_snapshot", 3));
        assertEquals(1, run.counts().parked());
        assertEquals(2, run.counts().inserted());
    }

    @Test
    void shouldWriteAnOrdinarySourceUpdateOfARowTheSyncWroteButParkATargetRowEditedByHand() {
        Mapping m = prepare("p_incremental", 10);
        fx.runOk(m);
        fx.source("UPDATE p_incremental SET v = 'new3' WHERE id = 3", "UPDATE p_incremental SET v = 'new4' WHERE id = 4");
        fx.target("UPDATE p_incremental SET v = 'hand4', updated_at = updated_at WHERE id = 4");

        RunResult run = fx.runOk(m);

        assertEquals("new3", v("p_incremental", 3), "the sync wrote row 3 last: an ordinary update");
        assertEquals("hand4", v("p_incremental", 4), "row 4 was edited by hand: parked, not written");
        ParkedConflicts c = conflicts(m);
        assertEquals("new4", text(parked(c, m, 4), "v", true));
        assertEquals("hand4", text(parked(c, m, 4), "v", false));
        assertFalse(isParked(c, m, 3));
        assertEquals(1, run.counts().parked());
    }

    @Test
    void shouldUpdateTheParkedSourceImageWithALaterSourceChangeAndNeverWritePastIt() {
        Mapping m = prepare("p_newest", 10);
        fx.runOk(m);
        long id = parked(conflicts(m), m, 1).id();
        fx.source("UPDATE p_newest SET v = 'newer1' WHERE id = 1");

        fx.runOk(m);

        ParkedRow row = parked(conflicts(m), m, 1);
        assertEquals(id, row.id(), "the same conflict");
        assertEquals("newer1", text(row, "v", true), "the newest source image wins");
        assertEquals("by hand", text(row, "v", false));
        assertEquals("by hand", v("p_newest", 1));
        assertEquals(1, conflicts(m).list(m.id(), 100).parked());
    }

    @Test
    void shouldParkARowMarkedDeletedWhoseTargetRowWasEditedByHandUnderHardDeletes() {
        String table = "p_hard";
        fx.source("CREATE TABLE " + table + " (id INT PRIMARY KEY, v VARCHAR(20), is_deleted TINYINT(1) NOT NULL"
                + " DEFAULT 0, updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE"
                + " CURRENT_TIMESTAMP(6), INDEX (updated_at))", "INSERT INTO " + table + " (id, v, updated_at) VALUES"
                + " (1, 'src1', '2024-01-01 10:00:00'), (2, 'src2', '2024-01-01 10:00:00')");
        Mapping m = TestConfig.edit(fx.mapping(table, table)).withConflict(ConflictPolicy.PARK).withMaxParked(10)
                .withDeletes(Optional.of("is_deleted"), DeleteMode.HARD).build();
        fx.runOk(m);
        fx.target("UPDATE " + table + " SET v = 'hand2', updated_at = updated_at WHERE id = 2");
        fx.source("UPDATE " + table + " SET is_deleted = 1 WHERE id IN (1, 2)");

        RunResult run = fx.runOk(m);

        assertEquals("gone", v(table, 1), "the sync wrote row 1 last: its delete goes through");
        assertEquals("hand2", v(table, 2), "row 2 was edited by hand: parked, not deleted from under its editor");
        assertEquals("hand2", text(parked(conflicts(m), m, 2), "v", false));
        assertFalse(isParked(conflicts(m), m, 1));
        assertEquals(1, run.counts().parked());
    }

    @Test
    void shouldTakeTheSourceImageAndThenSyncTheRowAsItsOwn() {
        Mapping m = prepare("p_take", 10);
        fx.runOk(m);
        ParkedConflicts c = conflicts(m);

        c.resolve(m.id(), parked(c, m, 1).id(), Action.TAKE_SOURCE, "alice");

        assertEquals("src1", v("p_take", 1));
        assertEquals(0, c.list(m.id(), 100).parked());
        assertEquals(Action.TAKE_SOURCE, c.history(m.id(), 10).get(0).action());
        assertEquals("alice", c.history(m.id(), 10).get(0).resolvedBy());
        fx.source("UPDATE p_take SET v = 'next1' WHERE id = 1");
        fx.runOk(m);
        assertEquals("next1", v("p_take", 1), "written like any row the sync wrote");
    }

    @Test
    void shouldKeepTheTargetRowAndLetTheNextSourceChangeOverwriteIt() {
        Mapping m = prepare("p_keep", 10);
        fx.runOk(m);
        ParkedConflicts c = conflicts(m);

        c.resolve(m.id(), parked(c, m, 1).id(), Action.KEEP_TARGET, "alice");

        assertEquals("by hand", v("p_keep", 1));
        assertEquals(0, c.list(m.id(), 100).parked());
        fx.source("UPDATE p_keep SET v = 'next1' WHERE id = 1");
        fx.runOk(m);
        assertEquals("next1", v("p_keep", 1));
        assertEquals(0, c.list(m.id(), 100).parked());
    }

    @Test
    void shouldRemoveTheConflictOnRecheckOnlyOnceSourceAndTargetAgree() {
        Mapping m = prepare("p_recheck", 10);
        fx.runOk(m);
        ParkedConflicts c = conflicts(m);
        long id = parked(c, m, 1).id();

        assertThrows(TargetChangedException.class, () -> c.resolve(m.id(), id, Action.RECHECK, "alice"));
        assertTrue(isParked(c, m, 1), "still differs: stays parked");
        fx.target("UPDATE p_recheck SET v = 'src1', updated_at = updated_at WHERE id = 1");
        c.resolve(m.id(), id, Action.RECHECK, "alice");

        assertFalse(isParked(c, m, 1));
        assertEquals(Action.RECHECK, c.history(m.id(), 10).get(0).action());
    }

    @Test
    void shouldRefuseToResolveAgainstATargetRowThatChangedSinceItWasParked() {
        Mapping m = prepare("p_changed", 10);
        fx.runOk(m);
        ParkedConflicts c = conflicts(m);
        long id = parked(c, m, 1).id();
        fx.target("UPDATE p_changed SET v = 'again' WHERE id = 1");

        TargetChangedException e = assertThrows(TargetChangedException.class,
                () -> c.resolve(m.id(), id, Action.TAKE_SOURCE, "alice"));

        assertEquals("again", new String(e.current().orElseThrow().value("v").orElseThrow().orElseThrow(),
                StandardCharsets.UTF_8));
        assertEquals("again", v("p_changed", 1), "nothing written");
        assertTrue(isParked(c, m, 1));
        assertTrue(c.history(m.id(), 10).isEmpty());
    }

    @Test
    void shouldResolveEveryParkedRowOfAMappingAndListThoseThatChanged() {
        Mapping m = prepare("p_all", 10);
        fx.target("INSERT INTO p_all (id, v) VALUES (3, 'hand3'), (4, 'hand4')");
        fx.runOk(m);
        ParkedConflicts c = conflicts(m);
        assertEquals(3, c.list(m.id(), 100).parked());
        fx.target("UPDATE p_all SET v = 'again4' WHERE id = 4");

        ParkedConflicts.Outcome outcome = c.resolveAll(m.id(), Action.TAKE_SOURCE, "alice");

        assertEquals(2, outcome.resolved());
        assertEquals(List.of(parked(c, m, 4).id()), outcome.refused());
        assertEquals("src1", v("p_all", 1));
        assertEquals("src3", v("p_all", 3));
        assertEquals("again4", v("p_all", 4));
    }

    @Test
    void shouldNotParkASourceChangeOfARowAVerifyRepaired() throws Exception {
        Mapping m = prepare("p_repair", 10);
        fx.runOk(m);
        fx.source("UPDATE p_repair SET v = 'between3' WHERE id = 3");
        java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            new dev.tablesync.verify.Verifier(m, fx.dataSources, SyncFixture.STATE_SCHEMA, executor, () -> false,
                    java.time.Clock.systemUTC()).execute(true, java.util.UUID.randomUUID().toString(), true);
        } finally {
            executor.shutdownNow();
        }
        assertEquals("between3", v("p_repair", 3), "repaired before the sync copied the change");
        fx.source("UPDATE p_repair SET v = 'next3' WHERE id = 3");

        fx.runOk(m);

        assertEquals("next3", v("p_repair", 3), "the repair wrote it, so the sync owns it");
        assertFalse(isParked(conflicts(m), m, 3));
    }

    @Test
    void shouldFailLikePolicyErrorOnceTheParkIsFull() {
        Mapping m = prepare("p_full", 1);
        fx.target("INSERT INTO p_full (id, v) VALUES (3, 'hand3')");

        RunResult run = fx.run(m);

        assertFalse(run.succeeded());
        String message = run.error().orElseThrow().getMessage();
        assertTrue(message.contains("row (id=3)") && message.contains("the park is full")
                && message.contains("tablesync.mappings.p_full.max-parked=1")
                && message.contains("/api/mappings/p_full/conflicts/resolve"), message);
        assertTrue(run.error().get() instanceof RowConflictException);
    }
}
