package dev.tablesync.sync;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.tablesync.checkpoint.Checkpoint;
import dev.tablesync.checkpoint.CheckpointStore;
import dev.tablesync.checkpoint.Cursor;
import dev.tablesync.config.Mapping;
import dev.tablesync.schema.Column;
import dev.tablesync.schema.Mode;

/**
 * Where a run's copy starts and ends on the source: the snapshot's starting checkpoint (where its incremental phase
 * will read from, committed before any row moves) and the change window's bound of an incremental copy.
 */
final class RunBounds {

    /** How long a snapshot in id mode waits for the writers open at its start to end. */
    private static final Duration ID_START_PATIENCE = Duration.ofSeconds(5);

    private final Mapping mapping;
    private final ChangeWindow window;
    private final Clock clock;

    RunBounds(Mapping mapping, ChangeWindow window, Clock clock) {
        this.mapping = mapping;
        this.window = window;
        this.clock = clock;
    }

    /** Records, before any row moves, where the incremental phase will start. */
    Checkpoint startSnapshot(SyncPlan plan, CheckpointStore store, Connection source, Connection target,
            Checkpoint previous) throws SQLException {
        Optional<Cursor> start = Optional.empty();
        ChangeWindow.Bound bound = bound(plan, source, Optional.empty());
        if (plan.tracking().mode() == Mode.TIMESTAMP) {
            Column ts = plan.tracking().column().orElseThrow();
            start = Optional.of(Cursor.at(List.of(ts), List.of(bound.value().getBytes(StandardCharsets.UTF_8))));
        } else if (plan.tracking().mode() == Mode.ID) {
            // No safe id yet (an empty table, or a writer open throughout): the incremental phase reads from the start.
            Column key = plan.keyColumns().get(0);
            start = window.idBound(source, plan.sourceDialect(), plan.source().id(), key.name(), ID_START_PATIENCE)
                    .map(b -> Cursor.at(List.of(key), List.of(b.value().getBytes(StandardCharsets.UTF_8))));
        }
        Optional<Instant> complete = previous == null || !previous.matches(plan.fingerprint()) ? Optional.empty()
                : previous.completeUpTo();
        Checkpoint cp = plan.tracking().mode() == Mode.BINLOG
                ? Checkpoint.binlogSnapshot(mapping.id(), plan.fingerprint(),
                        BinlogApply.snapshotStart(mapping, plan, source), bound.sourceTime(), complete, clock.instant())
                : Checkpoint.snapshot(mapping.id(), plan.tracking().mode(), plan.fingerprint(), start,
                bound.sourceTime(), complete, clock.instant());
        cp = cp.withSyncedSchema(plan.syncedSchema());
        store.save(target, cp);
        target.commit();
        return cp;
    }

    private ChangeWindow.Bound bound(SyncPlan plan, Connection source, Optional<Instant> previous)
            throws SQLException {
        boolean timestamp = plan.tracking().mode() == Mode.TIMESTAMP;
        Duration delay = timestamp ? mapping.commitDelay() : Duration.ZERO;
        boolean serverZone = timestamp && !plan.tracking().column().orElseThrow().isTimestampType();
        return window.compute(source, plan.sourceDialect(), delay, serverZone, previous);
    }

    /** The run's upper bound; in id mode empty until some id is proven safe, and the run then copies nothing. */
    Optional<ChangeWindow.Bound> incrementalBound(SyncPlan plan, Connection source,
            Optional<Instant> previous) throws SQLException {
        if (plan.tracking().mode() == Mode.ID) {
            return window.idBound(source, plan.sourceDialect(), plan.source().id(),
                    plan.keyColumns().get(0).name(), Duration.ZERO);
        }
        return Optional.of(bound(plan, source, previous));
    }
}
