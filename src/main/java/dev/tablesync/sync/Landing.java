package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.tablesync.checkpoint.Cursor;
import dev.tablesync.config.ConflictPolicy;

/**
 * How one phase's batches land on the target. A capability probe picks the sink: a snapshot
 * bulk-loads while the target takes local loads and its key range is still empty; the incremental
 * phase and binlog apply write through a staging table while the target takes local loads (asked
 * at their first batch, so a run without changes costs nothing more); anything else upserts. And
 * the one rule for a sink that declines a batch: the batch is rolled back and upserted, and so is
 * the rest of the phase; the mapping is told once, at WARN, and at DEBUG after that.
 */
final class Landing implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Landing.class);
    static final String LOG_PHASE = "binlog apply";

    private final SyncPlan plan;
    private final Connection target;
    private final BatchWriter upserts;
    private final KnownTarget known;
    private final String phase;
    /** Binlog apply: a batch may not be the first of its target transaction. */
    private final boolean log;
    /** Null until an incremental or binlog phase's first batch; the reader thread reads it ({@link #takesText}). */
    private volatile Sink sink;

    /** @param sink the phase's sink, or null to probe at the first batch (the incremental phase) */
    Landing(SyncPlan plan, Connection target, BatchWriter upserts, KnownTarget known, String phase, Sink sink) {
        this.plan = plan;
        this.target = target;
        this.upserts = upserts;
        this.known = known;
        this.phase = phase;
        this.log = phase.equals(LOG_PHASE);
        this.sink = sink;
    }

    /** Probes now: the snapshot's reader must know from its first row whether to format text. */
    static Landing forSnapshot(SyncPlan plan, Connection target, BatchWriter upserts, KnownTarget known,
            Optional<Cursor> after) throws SQLException {
        // A bulk load records no digests: conflict policy park needs one per written row.
        Sink sink = plan.mapping().conflict() != ConflictPolicy.PARK && localLoads(plan, target, known)
                && BulkLoader.rangeEmpty(plan, target, after)
                ? new BulkLoader(plan) : upserts;
        return new Landing(plan, target, upserts, known, "snapshot", sink);
    }

    static Landing forChanges(SyncPlan plan, Connection target, BatchWriter upserts, KnownTarget known) {
        return new Landing(plan, target, upserts, known, "run", null);
    }

    /**
     * Binlog apply: like the incremental phase, through a staging table while the target takes local loads. A
     * source transaction may span several batches of one target transaction, so a declined batch is rolled back
     * to a savepoint taken before it, not with the transaction: the batches before it stay, uncommitted.
     */
    static Landing forLog(SyncPlan plan, Connection target, BatchWriter upserts, KnownTarget known) {
        return new Landing(plan, target, upserts, known, LOG_PHASE, null);
    }

    private Sink probeChanges() throws SQLException {
        return StagedWriter.canStage(plan) && localLoads(plan, target, known)
                ? upserts.staged(new StagedWriter(plan)) : upserts;
    }

    private static boolean localLoads(SyncPlan plan, Connection target, KnownTarget known) throws SQLException {
        if (LocalLoad.enabled(target)) {
            return true;
        }
        if (known.firstNote("local_infile")) {
            LOG.infof("Mapping %s: target server has local_infile=OFF, so snapshots and incremental runs use INSERT"
                    + " statements; SET GLOBAL local_infile = ON on the target makes them faster",
                    plan.mapping().id());
        }
        return false;
    }

    /** Whether batches should come as text: true while the sink is a bulk load. */
    boolean takesText() {
        Sink current = sink;
        return current != null && current.takesText();
    }

    /** Writes the batch without committing; a declined batch is rolled back and upserted. */
    WriteCounts write(Batch batch) throws SQLException {
        if (sink == null) {
            sink = probeChanges();
        }
        // Binlog apply: earlier batches of this source transaction may be in the target transaction, uncommitted.
        // Only a sink that may decline needs it; the upserts never do.
        Savepoint before = log && sink != upserts ? target.setSavepoint() : null;
        try {
            WriteCounts counts = sink.write(target, batch);
            release(before);
            return counts;
        } catch (Declined e) {
            // Said before the rollback: on a connection that died meanwhile the rollback throws, and the
            // reason the batch was declined would otherwise be lost with it. Once per mapping: a refusal
            // that lasts (no CREATE TEMPORARY TABLES grant) recurs every run.
            LOG.logf(known.firstNote(sink.label() + " declined") ? Logger.Level.WARN : Logger.Level.DEBUG,
                    "Mapping %s: %s into %s declined (%s); the rest of this %s goes on with INSERT statements",
                    plan.mapping().id(), sink.label(), plan.target().id(), e.getMessage(), phase);
            if (before != null) {
                target.rollback(before);
            } else {
                target.rollback();
            }
            sink.close(target);
            sink = upserts;
            return upserts.write(target, batch);
        }
    }

    private void release(Savepoint savepoint) throws SQLException {
        if (savepoint != null) {
            target.releaseSavepoint(savepoint);
        }
    }

    /** Leaves nothing of the sink on the (pooled) connection. */
    @Override
    public void close() {
        if (sink != null) {
            sink.close(target);
        }
    }
}
