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
import dev.tablesync.checkpoint.RunRecord;
import dev.tablesync.config.ConflictPolicy;
import dev.tablesync.config.Mapping;
import dev.tablesync.sql.ChecksumDialect;
import dev.tablesync.sql.DataSources;
import dev.tablesync.sql.Dialect;
import dev.tablesync.sync.MappingBusyException;
import dev.tablesync.sync.RunStatus;
import dev.tablesync.sync.SyncPlan;
import dev.tablesync.sync.TargetLock;
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
    private final TargetLock lock;

    /** @param executor runs the target's side of each chunk while this thread runs the source's */
    public Verifier(Mapping mapping, DataSources dataSources, String stateSchema, Executor executor,
            BooleanSupplier stopRequested, Clock clock) {
        this.mapping = mapping;
        this.dataSources = dataSources;
        this.stateSchema = stateSchema;
        this.executor = executor;
        this.stopRequested = stopRequested;
        this.clock = clock;
        this.lock = new TargetLock(stateSchema, mapping.id());
    }

    /** What the run got to, for the report, whatever happened. */
    private static final class Attempt {
        String status = RunStatus.FAILED.label();
        TableComparison.Outcome outcome = new TableComparison.Outcome("chunks", 0, 0);
        List<String> notCompared = List.of();
        Differences differences;
        RepairWriter writer;
        Throwable error;
    }

    /**
     * Runs; never throws: the report carries the error.
     *
     * @param manual false for a scheduled verify, which skips a paused mapping
     */
    public VerifyReport execute(boolean repair, String runKey, boolean manual) {
        Instant started = clock.instant();
        Attempt a = new Attempt();
        try (Connection target = dataSources.connect(mapping.targetConnection())) {
            CheckpointStore store = CheckpointStore.on(dataSources, mapping.targetConnection(), target, stateSchema);
            VerifyReportStore reports = VerifyReportStore.on(dataSources, mapping.targetConnection(), target,
                    stateSchema);
            try {
                lock.acquire(target, mapping.targetConnection());
            } catch (MappingBusyException e) {
                a.status = RunStatus.BUSY.label();
                a.error = e;
                return record(target, store, reports, report(a, repair, runKey, started), a);
            }
            try {
                if (!manual && store.isPaused(target, mapping.id())) {
                    a.status = RunStatus.PAUSED.label();
                    return report(a, repair, runKey, started);
                }
                compare(target, repair, a);
                a.status = RunStatus.SUCCESS.label();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(target);
                a.error = e;
            }
            try {
                return record(target, store, reports, report(a, repair, runKey, started), a);
            } finally {
                lock.release(target);
            }
        } catch (SQLException | RuntimeException e) {
            a.error = a.error == null ? e : a.error;
            return report(a, repair, runKey, started);
        }
    }

    private void compare(Connection target, boolean repair, Attempt a) throws SQLException {
        String src = mapping.sourceConnection();
        String tgt = mapping.targetConnection();
        try (Connection source = dataSources.connect(src); Connection targetReads = dataSources.connect(tgt)) {
            Dialect sourceDialect = dataSources.dialect(src, source);
            Dialect targetDialect = dataSources.dialect(tgt, target);
            // A repair makes the target equal the source whatever the conflict policy: source wins.
            SyncPlan plan = SyncPlan.prepare(mapping.withConflict(ConflictPolicy.OVERWRITE), source, sourceDialect,
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
                            dataSources.maxStatementBytes(tgt, target));
                }
                a.differences = new Differences(plan.keyColumns(), a.writer, mapping.batchSize());
                a.outcome = new TableComparison(plan, hash, source, targetReads, executor, stopRequested)
                        .compare(a.differences);
            }
        }
    }

    private VerifyReport report(Attempt a, boolean repair, String runKey, Instant started) {
        Differences d = a.differences;
        long missing = d == null ? 0 : d.count(Differences.Kind.MISSING);
        long extra = d == null ? 0 : d.count(Differences.Kind.EXTRA);
        long different = d == null ? 0 : d.count(Differences.Kind.DIFFERENT);
        RepairWriter w = a.writer;
        long unrepaired = missing + extra + different - (w == null ? 0 : w.resolved());
        return new VerifyReport(mapping.id(), runKey, started, Duration.between(started, clock.instant()), repair,
                a.status, a.outcome.method(), a.outcome.chunks(), a.outcome.differingChunks(), missing, extra,
                different, w == null ? 0 : w.counts().written(), w == null ? 0 : w.deleted(), unrepaired,
                a.notCompared, d == null ? List.of() : d.sample(),
                Optional.ofNullable(a.error).map(Throwable::getMessage));
    }

    /** The run history entry (kind verify or verify+repair) and its report, in one transaction. */
    private VerifyReport record(Connection target, CheckpointStore store, VerifyReportStore reports, VerifyReport r,
            Attempt a) {
        WriteCounts counts = a.writer == null ? WriteCounts.NONE : a.writer.counts();
        try {
            target.setAutoCommit(false);
            store.recordRun(target, new RunRecord(0, Optional.of(r.runKey()), mapping.id(), r.startedAt(),
                    r.startedAt().plus(r.duration()), r.kind(), r.status(), a.writer == null ? 0 : a.writer.rowsRead(),
                    counts.inserted(), counts.updated(), counts.unchanged(), r.error(), Optional.empty()));
            reports.save(target, r);
            target.commit();
            target.setAutoCommit(true);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Mapping %s: verify report not recorded: %s", mapping.id(), e.getMessage());
        }
        return r;
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
