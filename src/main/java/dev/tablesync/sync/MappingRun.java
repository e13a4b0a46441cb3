package dev.tablesync.sync;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.tablesync.checkpoint.Checkpoint;
import dev.tablesync.checkpoint.CheckpointStore;
import dev.tablesync.checkpoint.Cursor;
import dev.tablesync.checkpoint.Phase;
import dev.tablesync.config.Mapping;
import dev.tablesync.config.Mode;
import dev.tablesync.schema.Column;
import dev.tablesync.schema.TableId;
import dev.tablesync.schema.TableSchema;
import dev.tablesync.sql.DataSources;
import dev.tablesync.sql.Dialect;

/**
 * One run of one mapping, following DESIGN.md's data flow: lock the mapping on the target,
 * check both tables, load the checkpoint, snapshot when there is nothing valid to resume,
 * copy changes up to the change window, record the run, release the lock.
 */
public final class MappingRun {

    private static final Logger LOG = Logger.getLogger(MappingRun.class);
    /** How long a snapshot in id mode waits for the writers open at its start to end. */
    private static final Duration ID_START_PATIENCE = Duration.ofSeconds(5);

    private final Mapping mapping;
    private final DataSources dataSources;
    private final String stateSchema;
    private final TargetLock lock;
    private final ChangeWindow window;
    private final KnownTarget knownTarget;
    private final RunObserver observer;
    private final java.util.function.BooleanSupplier stopRequested;
    private final Clock clock;

    public MappingRun(Mapping mapping, DataSources dataSources, String stateSchema, ChangeWindow window,
            RunObserver observer, Clock clock) {
        this(mapping, dataSources, stateSchema, window, observer, () -> false, clock);
    }

    /** A run that reads the target's definition afresh, as a first run does. */
    public MappingRun(Mapping mapping, DataSources dataSources, String stateSchema, ChangeWindow window,
            RunObserver observer, java.util.function.BooleanSupplier stopRequested, Clock clock) {
        this(mapping, dataSources, stateSchema, window, new KnownTarget(), observer, stopRequested, clock);
    }

    /**
     * @param knownTarget   the mapping's target definition from earlier runs, kept between them
     * @param stopRequested checked after each committed batch; true ends the run there (shutdown)
     */
    MappingRun(Mapping mapping, DataSources dataSources, String stateSchema, ChangeWindow window,
            KnownTarget knownTarget, RunObserver observer, java.util.function.BooleanSupplier stopRequested,
            Clock clock) {
        this.knownTarget = knownTarget;
        this.stopRequested = stopRequested;
        this.mapping = mapping;
        this.dataSources = dataSources;
        this.stateSchema = stateSchema;
        this.lock = new TargetLock(stateSchema, mapping.id());
        this.window = window;
        this.observer = observer;
        this.clock = clock;
    }

    /** A manual run: ignores a pause. */
    public RunResult execute(boolean fullResync) {
        return execute(new RunRequest(fullResync, true, Optional.empty()));
    }

    /** Runs; never throws: the result carries the error. */
    public RunResult execute(RunRequest request) {
        Instant started = clock.instant();
        RunState state = new RunState();
        try (Connection target = dataSources.connect(mapping.targetConnection())) {
            try {
                lock.acquire(target, mapping.targetConnection());
            } catch (MappingBusyException e) {
                recordBusy(target, started, request, e);
                throw e;
            }
            try {
                run(target, request, state);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(target);
                state.error = LockWaitException.explain(mapping, stateSchema, e);
            } finally {
                record(target, started, request, state);
                lock.release(target);
            }
        } catch (SQLException | RuntimeException e) {
            state.error = state.error == null ? LockWaitException.explain(mapping, stateSchema, e) : state.error;
        }
        knownTarget.afterRun(state.error != null, state.plan);
        return new RunResult(mapping.id(), started, Duration.between(started, clock.instant()), state.kind,
                state.tracking, state.copier == null ? 0 : state.copier.rowsRead(),
                state.copier == null ? WriteCounts.NONE : state.copier.counts(), Optional.ofNullable(state.checkpoint),
                Optional.ofNullable(state.error), state.trackingReason);
    }

    /** What the run got to, for the result and the run history, whatever happened. */
    private static final class RunState {
        String kind = "none";
        String tracking = "unknown";
        String trackingReason = "";
        Copier copier;
        SyncPlan plan;
        CheckpointStore store;
        Checkpoint checkpoint;
        Throwable error;
    }

    private void run(Connection target, RunRequest request, RunState state) throws SQLException {
        Dialect targetDialect = dataSources.dialect(mapping.targetConnection(), target);
        CheckpointStore store = CheckpointStore.on(dataSources, mapping.targetConnection(), target, stateSchema);
        state.store = store;
        TableId targetId = mapping.targetTable().inSchema(dataSources.defaultSchema(mapping.targetConnection(),
                target));
        // Loaded first: the plan compares the source with the schema the checkpoint's target matched.
        CheckpointStore.Loaded loaded = store.loadForRun(target, mapping.id(), targetId);
        if (!request.manual() && loaded.paused()) {
            state.kind = RunResult.PAUSED;
            return;
        }
        try (Connection source = dataSources.connect(mapping.sourceConnection())) {
            Dialect sourceDialect = dataSources.dialect(mapping.sourceConnection(), source);
            SyncPlan.Tables tables = new SyncPlan.Tables(
                    mapping.sourceTable().inSchema(dataSources.defaultSchema(mapping.sourceConnection(), source)),
                    targetId, Optional.empty());
            SourceIsTarget.refuse(mapping, dataSources, source, tables.source(), target, targetId);
            Checkpoint cp = loaded.checkpoint().orElse(null);
            SyncPlan plan = plan(source, sourceDialect, target, targetDialect, cp, tables, request.fullResync()
                    || cp == null || cp.phase() != Phase.INCREMENTAL ? Optional.empty()
                    : knownTarget.ifUnchanged(loaded.targetKeys()));
            String lost = request.fullResync() ? null : TargetLoss.detect(cp, loaded, plan, source)
                    .map(d -> TargetLoss.act(mapping, plan.target().id(), loaded.checkpoint().get(), d)).orElse(null);
            state.plan = plan;
            state.tracking = plan.tracking().describe();
            state.trackingReason = plan.tracking().reason();
            target.setAutoCommit(false);
            if (cp != null && !cp.syncedSchema().equals(Optional.of(plan.syncedSchema()))) {
                cp = cp.withSyncedSchema(plan.syncedSchema());
            }
            String reason = lost != null ? lost : snapshotReason(plan, cp, request.fullResync());
            if (reason != null) {
                LOG.infof("Mapping %s: starting a snapshot of %s into %s (%s); %s: %s; soft deletes: %s, %s (%s)",
                        mapping.id(), plan.source().id(), plan.target().id(), reason, plan.tracking().describe(),
                        plan.tracking().reason(), plan.softDelete().describe(), mapping.deleteMode().label(),
                        plan.softDelete().reason());
                plan.warnings().forEach(w -> LOG.warnf("Mapping %s: %s", mapping.id(), w));
                // What a lost target's checkpoint proved complete is not true any more.
                cp = startSnapshot(plan, store, source, target, lost != null ? null : cp);
            }
            state.copier = new Copier(plan, source, target, store,
                    dataSources.maxStatementBytes(mapping.targetConnection(), target), knownTarget, stopping(), clock);
            state.checkpoint = cp;
            StringBuilder kind = new StringBuilder();
            if (cp.phase() == Phase.SNAPSHOT) {
                kind.append(plan.tracking().mode() == Mode.FULL ? "full" : lost != null ? "resnapshot" : "snapshot");
                state.kind = kind.toString();
                cp = state.copier.snapshot(cp);
                state.checkpoint = cp;
            }
            if (cp.phase() == Phase.INCREMENTAL) {
                kind.append(kind.length() > 0 ? "+" : "").append("incremental");
                state.kind = kind.toString();
                Optional<ChangeWindow.Bound> bound = incrementalBound(plan, source, cp.completeUpTo());
                window.warning().ifPresent(w -> state.trackingReason += RunResult.WARNING + w);
                if (bound.isPresent()) {
                    Checkpoint from = bound.get().readFrom(cp, plan, clock.instant());
                    state.checkpoint = state.copier.incremental(from, bound.get());
                }
            }
        }
    }

    /** With the target's definition from an earlier run, unless the run turns out to start a snapshot. */
    private SyncPlan plan(Connection source, Dialect sourceDialect, Connection target, Dialect targetDialect,
            Checkpoint cp, SyncPlan.Tables tables, Optional<TableSchema> known) throws SQLException {
        Optional<Checkpoint> checkpoint = Optional.ofNullable(cp);
        SyncPlan plan = SyncPlan.prepare(mapping, source, sourceDialect, target, targetDialect, checkpoint,
                new SyncPlan.Tables(tables.source(), tables.target(), known));
        if (known.isPresent() && snapshotReason(plan, cp, false) != null) {
            knownTarget.forget();
            plan = SyncPlan.prepare(mapping, source, sourceDialect, target, targetDialect, checkpoint, tables);
        }
        return plan;
    }

    private static String snapshotReason(SyncPlan plan, Checkpoint cp, boolean fullResync) {
        if (fullResync) {
            return "a full resync was requested";
        }
        if (cp == null) {
            return "no checkpoint yet";
        }
        if (!cp.matches(plan.fingerprint())) {
            return "the checkpoint was made for another configuration (tables, mode, tracking column, key or hard"
                    + " deletes changed)";
        }
        if (cp.phase() == Phase.COPIED) {
            return "mode full copies the table on every run";
        }
        return null;
    }

    /** Records, before any row moves, where the incremental phase will start. */
    private Checkpoint startSnapshot(SyncPlan plan, CheckpointStore store, Connection source, Connection target,
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
        Checkpoint cp = Checkpoint.snapshot(mapping.id(), plan.tracking().mode(), plan.fingerprint(), start,
                bound.sourceTime(), complete, clock.instant()).withSyncedSchema(plan.syncedSchema());
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
    private Optional<ChangeWindow.Bound> incrementalBound(SyncPlan plan, Connection source,
            Optional<Instant> previous) throws SQLException {
        if (plan.tracking().mode() == Mode.ID) {
            return window.idBound(source, plan.sourceDialect(), plan.source().id(),
                    plan.keyColumns().get(0).name(), Duration.ZERO);
        }
        return Optional.of(bound(plan, source, previous));
    }

    /** The observer, then the shutdown check: a run stops only right after a commit. */
    private RunObserver stopping() {
        return new RunObserver() {
            @Override
            public void batchCommitted(Checkpoint checkpoint, WriteCounts batch) {
                observer.batchCommitted(checkpoint, batch);
                if (stopRequested.getAsBoolean()) {
                    throw new RunStoppedException("mapping " + mapping.id() + " stopped for shutdown after committing "
                            + checkpoint.describe());
                }
            }
        };
    }

    /** A triggered run that found the mapping running elsewhere still leaves its id in the history. */
    private void recordBusy(Connection target, Instant started, RunRequest request, MappingBusyException busy) {
        if (request.runKey().isEmpty()) {
            return;
        }
        RunState state = new RunState();
        state.kind = "none";
        state.error = busy;
        try {
            state.store = CheckpointStore.on(dataSources, mapping.targetConnection(), target, stateSchema);
        } catch (SQLException e) {
            LOG.warnf("Mapping %s: run history not recorded: %s", mapping.id(), e.getMessage());
            return;
        }
        record(target, started, request, state);
    }

    private void record(Connection target, Instant started, RunRequest request, RunState state) {
        if (state.copier != null) {
            state.copier.committed().ifPresent(cp -> state.checkpoint = cp);
        }
        if (state.store == null || RunResult.PAUSED.equals(state.kind)) {
            return;
        }
        try {
            // A failed run's writes are rolled back before its record is committed; a successful run
            // has committed everything already, so it needs no ROLLBACK round trip.
            if (state.error != null && !target.getAutoCommit()) {
                target.rollback();
            }
            String status = state.error == null ? "success"
                    : state.error instanceof MappingBusyException ? "busy" : "failed";
            long read = state.copier == null ? 0 : state.copier.rowsRead();
            WriteCounts counts = state.copier == null ? WriteCounts.NONE : state.copier.counts();
            state.store.recordRun(target, new dev.tablesync.checkpoint.RunRecord(0, request.runKey(), mapping.id(),
                    started, clock.instant(),
                    state.kind, status, read, counts.inserted(), counts.updated(), counts.unchanged(),
                    counts.deleted(),
                    Optional.ofNullable(state.error).map(Throwable::getMessage),
                    Optional.ofNullable(state.checkpoint).map(Checkpoint::describe)));
            if (!target.getAutoCommit()) {
                target.commit();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Mapping %s: run history not recorded: %s", mapping.id(), e.getMessage());
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException ignored) {
            // the connection is broken; the server rolls back when it closes
        }
    }
}
