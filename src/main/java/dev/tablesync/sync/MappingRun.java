package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import dev.tablesync.checkpoint.Checkpoint;
import dev.tablesync.checkpoint.CheckpointStore;
import dev.tablesync.conflict.ParkStore;
import dev.tablesync.config.ConflictPolicy;
import dev.tablesync.checkpoint.Phase;
import dev.tablesync.checkpoint.RunRecord;
import dev.tablesync.config.Mapping;
import dev.tablesync.schema.Mode;
import dev.tablesync.schema.TableId;
import dev.tablesync.schema.TableSchema;
import dev.tablesync.sql.DataSources;
import dev.tablesync.sql.Dialect;

/**
 * One sync run of one mapping, as a {@link LockedRun}'s work: load the checkpoint (and the pause),
 * check both tables, snapshot when there is nothing valid to resume, then copy changes up to the
 * change window. Shutdown stops it right after a committed batch.
 */
public final class MappingRun {

    private static final Logger LOG = Logger.getLogger(MappingRun.class);

    private final Mapping mapping;
    private final DataSources dataSources;
    private final String stateSchema;
    private final ChangeWindow window;
    private final KnownTarget knownTarget;
    private final RunObserver observer;
    private final BooleanSupplier stopRequested;
    private final Clock clock;
    /** The process's binlog streams and sessions; null: a binlog mapping's run opens a stream of its own. */
    private ApplySessions sessions;
    /** Called once a scheduled apply session follows the log: the engine gives the run's permit back. */
    private Runnable following = () -> {
    };

    public MappingRun(Mapping mapping, DataSources dataSources, String stateSchema, ChangeWindow window,
            RunObserver observer, Clock clock) {
        this(mapping, dataSources, stateSchema, window, observer, () -> false, clock);
    }

    /** A run that reads the target's definition afresh, as a first run does. */
    public MappingRun(Mapping mapping, DataSources dataSources, String stateSchema, ChangeWindow window,
            RunObserver observer, BooleanSupplier stopRequested, Clock clock) {
        this(mapping, dataSources, stateSchema, window, new KnownTarget(), observer, stopRequested, clock);
    }

    /**
     * @param knownTarget   the mapping's target definition from earlier runs, kept between them
     * @param stopRequested checked after each committed batch; true ends the run there (shutdown)
     */
    MappingRun(Mapping mapping, DataSources dataSources, String stateSchema, ChangeWindow window,
            KnownTarget knownTarget, RunObserver observer, BooleanSupplier stopRequested,
            Clock clock) {
        this.knownTarget = knownTarget;
        this.stopRequested = stopRequested;
        this.mapping = mapping;
        this.dataSources = dataSources;
        this.stateSchema = stateSchema;
        this.window = window;
        this.observer = observer;
        this.clock = clock;
    }

    /** Binlog mappings share {@code shared}, one stream per source server; {@code onFollow}: see {@link #following}. */
    MappingRun withSessions(ApplySessions shared, Runnable onFollow) {
        this.sessions = shared;
        this.following = onFollow;
        return this;
    }

    /** A manual run: ignores a pause. */
    public RunResult execute(boolean fullResync) {
        return execute(new RunRequest(fullResync, true, Optional.empty()));
    }

    /** Runs; never throws: the result carries the error. */
    public RunResult execute(RunRequest request) {
        Attempt a = new Attempt(request);
        Throwable error = new LockedRun(mapping, dataSources, stateSchema).run(a).error().orElse(null);
        knownTarget.afterRun(error != null, a.plan);
        return new RunResult(mapping.id(), a.started, Duration.between(a.started, clock.instant()), a.kind.label(),
                a.tracking, a.copier == null ? 0 : a.copier.rowsRead(), a.copier == null ? WriteCounts.NONE
                        : a.copier.counts(), a.checkpoint(), Optional.ofNullable(error), a.trackingReason);
    }

    /** One run under the mapping's lock, and what it got to, for the result and the run history. */
    private final class Attempt implements LockedRun.Work {
        final RunRequest request;
        final Instant started = clock.instant();
        RunKind kind = RunKind.NONE;
        String tracking = "unknown";
        String trackingReason = "";
        Copier copier;
        SyncPlan plan;
        CheckpointStore store;
        /** Under conflict policy park; else null. */
        ParkStore park;
        Checkpoint checkpoint;
        TableId targetId;
        CheckpointStore.Loaded loaded;
        /** Switching to binlog without a snapshot: the plan of the checkpoint's mode; else empty. */
        Optional<SyncPlan> before = Optional.empty();

        Attempt(RunRequest request) {
            this.request = request;
        }

        /** Loaded first: the plan compares the source with the schema the checkpoint's target matched. */
        @Override
        public boolean start(Connection target) throws SQLException {
            store = CheckpointStore.on(dataSources, mapping.targetConnection(), target, stateSchema);
            targetId = mapping.targetTable().inSchema(dataSources.defaultSchema(mapping.targetConnection(), target));
            loaded = store.loadForRun(target, mapping.id(), targetId);
            if (mapping.conflict() == ConflictPolicy.PARK) {
                park = ParkStore.on(dataSources, mapping.targetConnection(), target, stateSchema);
            }
            if (!request.manual() && loaded.paused()) {
                kind = RunKind.PAUSED;
                return false;
            }
            return true;
        }

        @Override
        public void run(Connection target) throws SQLException {
            MappingRun.this.run(target, this);
        }

        @Override
        public Throwable explain(Throwable error) {
            return LockWaitException.explain(mapping, stateSchema, error);
        }

        /** The last committed checkpoint, else the one the run started from. */
        Optional<Checkpoint> checkpoint() {
            return copier == null ? Optional.ofNullable(checkpoint)
                    : copier.committed().or(() -> Optional.ofNullable(checkpoint));
        }

        /** A failed run was rolled back already; a triggered run that found the mapping busy leaves its id. */
        @Override
        public void record(Connection target, RunStatus status, Optional<Throwable> error) {
            try {
                if (status == RunStatus.BUSY && request.runKey().isPresent()) {
                    store = CheckpointStore.on(dataSources, mapping.targetConnection(), target, stateSchema);
                } else if (status == RunStatus.BUSY || store == null) {
                    return;
                }
                WriteCounts counts = copier == null ? WriteCounts.NONE : copier.counts();
                store.recordRun(target, new RunRecord(0, request.runKey(), mapping.id(), started, clock.instant(),
                        kind.label(), status.label(), copier == null ? 0 : copier.rowsRead(), counts.inserted(),
                        counts.updated(), counts.unchanged(), counts.deleted(), error.map(Throwable::getMessage),
                        checkpoint().map(Checkpoint::describe)));
                if (!target.getAutoCommit()) {
                    target.commit();
                }
            } catch (SQLException | RuntimeException e) {
                LOG.warnf("Mapping %s: run history not recorded: %s", mapping.id(), e.getMessage());
            }
        }
    }

    /** Checks both tables, snapshots when there is nothing valid to resume, copies changes up to the window. */
    private void run(Connection target, Attempt a) throws SQLException {
        try (Connection source = dataSources.connect(mapping.sourceConnection())) {
            Dialect sourceDialect = dataSources.dialect(mapping.sourceConnection(), source);
            Dialect targetDialect = dataSources.dialect(mapping.targetConnection(), target);
            SyncPlan.Tables tables = new SyncPlan.Tables(
                    mapping.sourceTable().inSchema(dataSources.defaultSchema(mapping.sourceConnection(), source)),
                    a.targetId, Optional.empty());
            SourceIsTarget.refuse(mapping, dataSources, source, tables.source(), target, a.targetId);
            Checkpoint cp = a.loaded.checkpoint().orElse(null);
            SyncPlan plan = plan(source, sourceDialect, target, targetDialect, cp, tables, a.request.fullResync()
                    || cp == null || cp.phase() != Phase.INCREMENTAL ? Optional.empty()
                    : knownTarget.ifUnchanged(a.loaded.targetKeys()));
            String lost = a.request.fullResync() ? null : TargetLoss.detect(cp, a.loaded, plan, source)
                    .map(d -> TargetLoss.act(mapping, plan.target().id(), a.loaded.checkpoint().get(), d)).orElse(null);
            a.plan = plan;
            a.tracking = plan.tracking().describe();
            a.trackingReason = plan.tracking().reason();
            target.setAutoCommit(false);
            if (cp != null && !cp.syncedSchema().equals(Optional.of(plan.syncedSchema()))) {
                cp = cp.withSyncedSchema(plan.syncedSchema());
            }
            BinlogSwitch.hint(mapping, plan, source);
            cp = BinlogSwitch.abandoned(plan, cp, clock.instant());
            a.before = lost != null || a.request.fullResync() ? Optional.empty() : BinlogSwitch.previous(plan, cp);
            String reason = lost != null ? lost : a.before.isPresent() ? null
                    : snapshotReason(plan, cp, a.request.fullResync());
            if (reason != null) {
                LOG.infof("Mapping %s: starting a snapshot of %s into %s (%s); %s: %s; soft deletes: %s, %s (%s)",
                        mapping.id(), plan.source().id(), plan.target().id(), reason, plan.tracking().describe(),
                        plan.tracking().reason(), plan.softDelete().describe(), mapping.deleteMode().label(),
                        plan.softDelete().reason());
                plan.warnings().forEach(w -> LOG.warnf("Mapping %s: %s", mapping.id(), w));
                // What a lost target's checkpoint proved complete is not true any more.
                cp = new RunBounds(mapping, window, clock).startSnapshot(plan, a.store, source, target,
                        lost != null ? null : cp);
            }
            copy(a, plan, source, target, cp, lost != null);
        }
    }

    /** The snapshot, if one is due, then the changes up to the window; each stops after a commit at shutdown. */
    private void copy(Attempt state, SyncPlan plan, Connection source, Connection target, Checkpoint cp,
            boolean lost) throws SQLException {
        state.copier = copier(plan, source, target, state);
        state.checkpoint = cp;
        if (state.before.isPresent()) {
            state.kind = state.kind.thenIncremental();
            Copier timestamps = copier(state.before.get(), source, target, state);
            state.copier = timestamps;
            state.checkpoint = cp = new BinlogSwitch(mapping, window, state.store, stopRequested, clock)
                    .run(timestamps, state.before.get(), plan, source, target, cp);
            stopIfRequested(timestamps);
            if (cp.mode() != Mode.BINLOG) {
                return;
            }
            state.copier = copier(plan, source, target, state);
        }
        if (cp.phase() == Phase.SNAPSHOT) {
            state.kind = plan.tracking().mode() == Mode.FULL ? RunKind.FULL
                    : lost ? RunKind.RESNAPSHOT : RunKind.SNAPSHOT;
            state.checkpoint = cp = state.copier.snapshot(cp);
            stopIfRequested(state.copier);
        }
        if (cp.phase() == Phase.INCREMENTAL && cp.mode() == Mode.BINLOG) {
            state.kind = state.kind.thenBinlog();
            state.checkpoint = new BinlogApply(mapping, dataSources, state.store, sessions, following, stopRequested, clock)
                    .apply(state.copier, plan, source, target, cp, state.request);
            stopIfRequested(state.copier);
        } else if (cp.phase() == Phase.INCREMENTAL) {
            state.kind = state.kind.thenIncremental();
            Optional<ChangeWindow.Bound> bound = new RunBounds(mapping, window, clock).incrementalBound(plan, source,
                    cp.completeUpTo());
            window.warning().ifPresent(w -> state.trackingReason += RunResult.WARNING + w);
            if (bound.isPresent()) {
                Checkpoint from = bound.get().readFrom(cp, plan, clock.instant());
                state.checkpoint = state.copier.incremental(from, bound.get());
                stopIfRequested(state.copier);
            }
        }
    }

    private Copier copier(SyncPlan plan, Connection source, Connection target, Attempt state) throws SQLException {
        return new Copier(plan, source, target, state.store,
                dataSources.maxStatementBytes(mapping.targetConnection(), target), knownTarget, observer, stopRequested,
                clock, state.park);
    }

    /** Shutdown stopped the copier right after a commit: the run ends there, its checkpoint consistent. */
    private void stopIfRequested(Copier copier) {
        copier.stoppedAt().ifPresent(cp -> {
            throw new RunStoppedException("mapping " + mapping.id() + " stopped for shutdown after committing "
                    + cp.describe());
        });
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
}
