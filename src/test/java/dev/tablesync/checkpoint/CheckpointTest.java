package dev.tablesync.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.tablesync.schema.Mode;

class CheckpointTest {

    private static final String FP = "0123456789abcdef".repeat(4);
    private static final Instant STARTED = Instant.parse("2024-05-01T10:00:00Z");
    private static final Instant EARLIER = Instant.parse("2024-04-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2024-05-01T10:05:00Z");
    private static final Instant LATER = Instant.parse("2024-05-01T10:10:00Z");
    private static final Cursor START = new Cursor(List.of("updated_at"), List.of("2024-05-01 09:59:55.000000"));
    private static final Cursor KEY_42 = new Cursor(List.of("id"), List.of("42"));

    private static Checkpoint checkpoint(Phase phase, Mode mode, String fingerprint, long rows) {
        return new Checkpoint("orders", phase, mode, fingerprint, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), rows, NOW);
    }

    private static Checkpoint snapshot(Mode mode) {
        return Checkpoint.snapshot("orders", mode, FP, Optional.of(START), STARTED, Optional.of(EARLIER), NOW);
    }

    @Test
    void shouldStartSnapshotWithoutCursorAndWithRecordedIncrementalStart() {
        assertEquals(new Checkpoint("orders", Phase.SNAPSHOT, Mode.TIMESTAMP, FP, Optional.empty(), Optional.of(START),
                Optional.of(STARTED), Optional.of(EARLIER), 0, NOW), snapshot(Mode.TIMESTAMP));
    }

    @Test
    void shouldRefuseFingerprintThatIsNotLowerCaseSha256Hex() {
        assertThrows(IllegalArgumentException.class, () -> checkpoint(Phase.SNAPSHOT, Mode.ID, "abc", 0));
        assertThrows(IllegalArgumentException.class, () -> checkpoint(Phase.SNAPSHOT, Mode.ID, FP.toUpperCase(), 0));
        assertThrows(IllegalArgumentException.class, () -> checkpoint(Phase.SNAPSHOT, Mode.ID, FP + "0", 0));
        assertThrows(IllegalArgumentException.class,
                () -> checkpoint(Phase.SNAPSHOT, Mode.ID, "g" + FP.substring(1), 0));
    }

    @Test
    void shouldRefuseUnresolvedAutoMode() {
        assertEquals("a checkpoint records the resolved mode, not auto", assertThrows(IllegalArgumentException.class,
                () -> checkpoint(Phase.SNAPSHOT, Mode.AUTO, FP, 0)).getMessage());
    }

    @Test
    void shouldRefuseIncrementalPhaseForModeFull() {
        assertThrows(IllegalArgumentException.class, () -> checkpoint(Phase.INCREMENTAL, Mode.FULL, FP, 0));
    }

    @Test
    void shouldRefuseCopiedPhaseForOtherModesThanFull() {
        assertThrows(IllegalArgumentException.class, () -> checkpoint(Phase.COPIED, Mode.TIMESTAMP, FP, 0));
        assertThrows(IllegalArgumentException.class, () -> checkpoint(Phase.COPIED, Mode.ID, FP, 0));
        assertEquals(Phase.COPIED, checkpoint(Phase.COPIED, Mode.FULL, FP, 0).phase());
    }

    @Test
    void shouldRefuseNegativeRowCount() {
        assertThrows(IllegalArgumentException.class, () -> checkpoint(Phase.SNAPSHOT, Mode.ID, FP, -1));
    }

    @Test
    void shouldAdvanceIntoANewCheckpointLeavingTheOriginalUnchanged() {
        Checkpoint original = snapshot(Mode.TIMESTAMP);
        Checkpoint copy = snapshot(Mode.TIMESTAMP);

        Checkpoint moved = original.advance(KEY_42, 100, LATER).advance(KEY_42, 50, LATER);

        assertEquals(copy, original);
        assertEquals(Optional.of(KEY_42), moved.cursor());
        assertEquals(150, moved.rowsCopied());
        assertEquals(LATER, moved.updatedAt());
        assertEquals(Optional.of(START), moved.incrementalStart());
        assertEquals(Optional.of(STARTED), moved.snapshotStart());
    }

    @Test
    void shouldContinueIncrementalFromRecordedStartWhenSnapshotIsDone() {
        Checkpoint during = snapshot(Mode.TIMESTAMP).advance(KEY_42, 100, NOW);
        Checkpoint copy = snapshot(Mode.TIMESTAMP).advance(KEY_42, 100, NOW);

        Checkpoint done = during.snapshotDone(LATER);

        assertEquals(new Checkpoint("orders", Phase.INCREMENTAL, Mode.TIMESTAMP, FP, Optional.of(START),
                Optional.empty(), Optional.empty(), Optional.of(STARTED), 0, LATER), done);
        assertEquals(copy, during);
    }

    @Test
    void shouldKeepEarlierCompletenessWhenSnapshotStartIsUnknown() {
        Checkpoint noStart = new Checkpoint("orders", Phase.SNAPSHOT, Mode.ID, FP, Optional.of(KEY_42),
                Optional.empty(), Optional.empty(), Optional.of(EARLIER), 7, NOW);
        assertEquals(Optional.of(EARLIER), noStart.snapshotDone(LATER).completeUpTo());
    }

    @Test
    void shouldEndFullCopyInCopiedPhaseKeepingTheRowCount() {
        Checkpoint done = snapshot(Mode.FULL).advance(KEY_42, 300, NOW).snapshotDone(LATER);

        assertEquals(new Checkpoint("orders", Phase.COPIED, Mode.FULL, FP, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(STARTED), 300, LATER), done);
    }

    @Test
    void shouldRecordCompletenessInANewCheckpoint() {
        Checkpoint original = snapshot(Mode.TIMESTAMP).snapshotDone(NOW);
        Checkpoint copy = snapshot(Mode.TIMESTAMP).snapshotDone(NOW);

        Checkpoint complete = original.completeUpTo(LATER, LATER);

        assertEquals(copy, original);
        assertEquals(Optional.of(LATER), complete.completeUpTo());
        assertEquals(original.cursor(), complete.cursor());
        assertEquals(Phase.INCREMENTAL, complete.phase());
    }

    @Test
    void shouldMatchOnlyTheSameFingerprint() {
        Checkpoint c = snapshot(Mode.ID);
        assertTrue(c.matches(FP));
        assertFalse(c.matches("f".repeat(64)));
    }

    @Test
    void shouldDescribePhaseAndCursor() {
        assertEquals("snapshot(start)", snapshot(Mode.ID).describe());
        assertEquals("snapshot(id=42)", snapshot(Mode.ID).advance(KEY_42, 1, NOW).describe());
    }

    private static final dev.tablesync.binlog.BinlogPosition AT_100 = dev.tablesync.binlog.BinlogPosition.fromJson(
            "{\"server\": \"mariadb:1:0123456789ab\", \"gtids\": \"0-1-100\", \"file\": \"binlog.000001\","
                    + " \"offset\": 1000}");
    private static final dev.tablesync.binlog.BinlogPosition AT_101 = dev.tablesync.binlog.BinlogPosition.fromJson(
            "{\"server\": \"mariadb:1:0123456789ab\", \"gtids\": \"0-1-101\", \"file\": \"binlog.000001\","
                    + " \"offset\": 1200}");

    @Test
    void shouldRefuseABinlogCheckpointWithoutItsPositionAndAPositionInAnotherMode() {
        assertThrows(IllegalArgumentException.class, () -> checkpoint(Phase.SNAPSHOT, Mode.BINLOG, FP, 0));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("orders", Phase.INCREMENTAL, Mode.TIMESTAMP,
                FP, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0, NOW, Optional.empty(),
                Optional.of(AT_100)));
    }

    @Test
    void shouldCarryTheSnapshotStartPositionIntoTheLogPhaseAndMoveItWithEachAppliedTransaction() {
        Checkpoint snap = Checkpoint.binlogSnapshot("orders", FP, AT_100, STARTED, Optional.empty(), NOW);
        Checkpoint done = snap.snapshotDone(NOW);
        assertEquals(Phase.INCREMENTAL, done.phase());
        assertEquals(Optional.of(AT_100), done.binlogPosition());
        assertEquals(Optional.of(STARTED), done.completeUpTo());

        Checkpoint applied = done.applied(AT_101, LATER, 3, LATER);
        assertEquals(Optional.of(AT_101), applied.binlogPosition());
        assertEquals(Optional.of(LATER), applied.completeUpTo());
        assertEquals(Optional.of(LATER), applied.applied(AT_101, EARLIER, 0, LATER).completeUpTo(),
                "complete-up-to never moves back");
        assertThrows(IllegalStateException.class, () -> snap.applied(AT_101, LATER, 1, LATER));
    }

    @Test
    void shouldSwitchToBinlogOnlyOnceCompletePastTheSwitchTime() {
        dev.tablesync.binlog.BinlogPosition p = new dev.tablesync.binlog.BinlogPosition("mariadb:1:32f5303c90d3",
                Optional.empty(), "binlog.000001", 4);
        Checkpoint ts = new Checkpoint("m", Phase.INCREMENTAL, Mode.TIMESTAMP, FP, Optional.of(START),
                Optional.empty(), Optional.empty(), Optional.of(EARLIER), 0, NOW);
        Checkpoint switching = ts.switchingToBinlog(p, STARTED, NOW);

        assertTrue(switching.switching());
        assertThrows(IllegalStateException.class, () -> switching.switchedToBinlog(FP, NOW));
        Checkpoint done = switching.completeUpTo(LATER, LATER).switchedToBinlog(FP, LATER);
        assertEquals(Mode.BINLOG, done.mode());
        assertEquals(Optional.of(p), done.binlogPosition());
        assertFalse(done.switching());
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("m", Phase.INCREMENTAL, Mode.TIMESTAMP, FP,
                Optional.of(START), Optional.empty(), Optional.empty(), Optional.of(EARLIER), 0, NOW,
                Optional.empty(), Optional.of(p)));
        assertFalse(switching.withoutSwitch(NOW).switching());
    }
}
