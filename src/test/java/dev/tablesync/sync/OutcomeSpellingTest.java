package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.tablesync.sql.FailureReason;

/**
 * The spellings of run kinds, statuses and failure reasons are published: in the run history and
 * the API (kind, status, lastErrorCategory), in health data, and as the {@code reason} label of
 * {@code tablesync_run_failures_total} that alerts and dashboards select on. Renaming a constant
 * is fine; changing, adding or removing a spelling must be a deliberate change of this test.
 */
class OutcomeSpellingTest {

    @Test
    void shouldSpellEveryRunKindAsTheRunHistoryAndTheApiAlwaysHave() {
        assertEquals(Map.ofEntries(
                Map.entry("NONE", "none"),
                Map.entry("PAUSED", "paused"),
                Map.entry("SNAPSHOT", "snapshot"),
                Map.entry("RESNAPSHOT", "resnapshot"),
                Map.entry("FULL", "full"),
                Map.entry("INCREMENTAL", "incremental"),
                Map.entry("SNAPSHOT_INCREMENTAL", "snapshot+incremental"),
                Map.entry("RESNAPSHOT_INCREMENTAL", "resnapshot+incremental"),
                Map.entry("VERIFY", "verify"),
                Map.entry("VERIFY_REPAIR", "verify+repair"),
                Map.entry("BINLOG", "binlog"),
                Map.entry("SNAPSHOT_BINLOG", "snapshot+binlog"),
                Map.entry("RESNAPSHOT_BINLOG", "resnapshot+binlog")), spellings(RunKind.values(), RunKind::label));
    }

    @Test
    void shouldSpellEveryRunStatusAsTheRunHistoryAndTheApiAlwaysHave() {
        assertEquals(Map.of("SUCCESS", "success", "BUSY", "busy", "FAILED", "failed", "PAUSED", "paused"),
                spellings(RunStatus.values(), RunStatus::label));
    }

    @Test
    void shouldSpellEveryFailureReasonAsTheMetricLabelAndHealthDataAlwaysHave() {
        assertEquals(Map.of("TRANSIENT", "transient", "FATAL", "fatal", "SCHEMA_DRIFT", "schema_drift",
                "BINLOG_GAP", "binlog_gap"),
                spellings(FailureReason.values(), FailureReason::label));
    }

    @Test
    void shouldNameARunThatMovesOnToChangesAfterItsSnapshotByBoth() {
        assertEquals(RunKind.SNAPSHOT_INCREMENTAL, RunKind.SNAPSHOT.thenIncremental());
        assertEquals(RunKind.RESNAPSHOT_INCREMENTAL, RunKind.RESNAPSHOT.thenIncremental());
        assertEquals(RunKind.INCREMENTAL, RunKind.NONE.thenIncremental());
        assertEquals(RunKind.SNAPSHOT_BINLOG, RunKind.SNAPSHOT.thenBinlog());
        assertEquals(RunKind.RESNAPSHOT_BINLOG, RunKind.RESNAPSHOT.thenBinlog());
        assertEquals(RunKind.BINLOG, RunKind.NONE.thenBinlog());
        assertEquals(RunResult.PAUSED, RunKind.PAUSED.label());
    }

    private static <E extends Enum<E>> Map<String, String> spellings(E[] values, Function<E, String> label) {
        Map<String, String> spelled = new LinkedHashMap<>();
        Arrays.stream(values).forEach(v -> spelled.put(v.name(), label.apply(v)));
        return spelled;
    }
}
