package dev.tablesync.verify;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import dev.tablesync.checkpoint.CheckpointStore;
import dev.tablesync.config.ConflictPolicy;
import dev.tablesync.conflict.ParkStore;
import dev.tablesync.checkpoint.RunRecord;
import dev.tablesync.config.Mapping;
import dev.tablesync.sql.ChecksumDialect;
import dev.tablesync.sql.DataSources;
import dev.tablesync.sql.Dialect;
import dev.tablesync.sync.RunStatus;
import dev.tablesync.sync.SyncPlan;
import dev.tablesync.sync.LockedRun;
import dev.tablesync.sync.WriteCounts;

/**
 * One verify run of one mapping, with or without repair: takes the mapping's lock on the target
 * (so it never runs beside a sync of the mapping, on any replica), compares the tables, repairs
 * what differs when asked, and records the run in the run history with its report. It never
 * touches the sync checkpoint.
 */
public final class Verifier {

    private static final Logger LOG = Logger.getLogger(Verifier.class);

    private final Mapping mapping;
    private final DataSources dataSources;
    private final String stateSchema;
    private final Executor executor;
    private final BooleanSupplier stopRequested;
    private final Clock clock;

    /** @param executor runs the target's side of each chunk while this thread runs the source's */
    public Verifier(Mapping mapping, DataSources dataSources, String stateSchema, Executor executor,
            BooleanSupplier stopRequested, Clock clock) {
        this.mapping = mapping;
        this.dataSources = dataSources;
        this.stateSchema = stateSchema;
        this.executor = executor;
        this.stopRequested = stopRequested;
        this.clock = clock;
    }

    /**
     * Runs; never throws: the report carries the error.
     *
     * @param manual false for a scheduled verify, which skips a paused mapping
     */
    public VerifyReport execute(boolean repair, String runKey, boolean manual) {
        Attempt a = new Attempt(repair, runKey, manual, clock.instant());
        LockedRun.Outcome outcome = new LockedRun(mapping, dataSources, stateSchema).run(a);
        // Recorded runs return the report recorded; a paused or unreachable one is reported, not recorded.
        return a.recorded != null ? a.recorded : a.report(outcome.status(), outcome.error());
    }

    /** One verify under the mapping's lock, and what it got to, for the report whatever happened. */
    private final class Attempt implements LockedRun.Work {
        final boolean repair;
        final String runKey;
        final boolean manual;
        final Instant started;
        TableComparison.Outcome outcome = new TableComparison.Outcome("chunks", 0, 0);
        List<String> notCompared = List.of();
        Differences differences;
        RepairWriter writer;
        CheckpointStore store;
        VerifyReportStore reports;
        VerifyReport recorded;

        Attempt(boolean repair, String runKey, boolean manual, Instant started) {
            this.repair = repair;
            this.runKey = runKey;
            this.manual = manual;
            this.started = started;
        }

        @Override
        public boolean start(Connection target) throws SQLException {
            stores(target);
            return manual || !store.isPaused(target, mapping.id());
        }

        @Override
        public void run(Connection target) throws SQLException {
            compare(target, repair, this);
        }

        /** The run history entry (kind verify or verify+repair) and its report, in one transaction. */
        @Override
        public void record(Connection target, RunStatus status, Optional<Throwable> error) {
            VerifyReport r = report(status, error);
            recorded = r;
            WriteCounts counts = writer == null ? WriteCounts.NONE : writer.counts();
            try {
                stores(target);
                target.setAutoCommit(false);
                store.recordRun(target, new RunRecord(0, Optional.of(r.runKey()), mapping.id(), r.startedAt(),
                        r.startedAt().plus(r.duration()), r.kind(), r.status(), writer == null ? 0 : writer.rowsRead(),
                        counts.inserted(), counts.updated(), counts.unchanged(), r.error(), Optional.empty()));
                reports.save(target, r);
                target.commit();
                target.setAutoCommit(true);
            } catch (SQLException | RuntimeException e) {
                LOG.warnf("Mapping %s: verify report not recorded: %s", mapping.id(), e.getMessage());
            }
        }

        private void stores(Connection target) throws SQLException {
            if (store == null) {
                store = CheckpointStore.on(dataSources, mapping.targetConnection(), target, stateSchema);
                reports = VerifyReportStore.on(dataSources, mapping.targetConnection(), target, stateSchema);
            }
        }

        VerifyReport report(RunStatus status, Optional<Throwable> error) {
            Differences d = differences;
            long missing = d == null ? 0 : d.count(Differences.Kind.MISSING);
            long extra = d == null ? 0 : d.count(Differences.Kind.EXTRA);
            long different = d == null ? 0 : d.count(Differences.Kind.DIFFERENT);
            RepairWriter w = writer;
            long unrepaired = missing + extra + different - (w == null ? 0 : w.resolved());
            return new VerifyReport(mapping.id(), runKey, started, Duration.between(started, clock.instant()), repair,
                    status.label(), outcome.method(), outcome.chunks(), outcome.differingChunks(), missing, extra,
                    different, w == null ? 0 : w.counts().written(), w == null ? 0 : w.deleted(), unrepaired,
                    notCompared, d == null ? List.of() : d.sample(), error.map(Throwable::getMessage));
        }
    }

    private void compare(Connection target, boolean repair, Attempt a) throws SQLException {
        String src = mapping.sourceConnection();
        String tgt = mapping.targetConnection();
        try (Connection source = dataSources.connect(src); Connection targetReads = dataSources.connect(tgt)) {
            Dialect sourceDialect = dataSources.dialect(src, source);
            Dialect targetDialect = dataSources.dialect(tgt, target);
            // A repair makes the target equal the source whatever the conflict policy: source wins.
            SyncPlan plan = SyncPlan.prepare(mapping.sourceWins(), source, sourceDialect,
                    target, targetDialect);
            ChecksumDialect.RowHash hash = ChecksumDialect.rowHash(plan.columns(), sourceDialect.server(),
                    plan.target(), targetDialect.server());
            a.notCompared = hash.notCompared();
            if (!a.notCompared.isEmpty()) {
                LOG.warnf("Mapping %s: verify leaves out %s", mapping.id(), a.notCompared);
            }
            try (Connection repairSource = repair ? dataSources.connect(src) : null) {
                if (repair) {
                    target.setAutoCommit(false);
                    a.writer = new RepairWriter(plan, repairSource, target,
                            dataSources.maxStatementBytes(tgt, target), mapping.conflict() == ConflictPolicy.PARK
                                    ? ParkStore.on(dataSources, tgt, target, stateSchema) : null);
                }
                a.differences = new Differences(plan.keyColumns(), a.writer, mapping.batchSize());
                a.outcome = new TableComparison(plan, hash, source, targetReads, executor, stopRequested)
                        .compare(a.differences);
            }
        }
    }
}
