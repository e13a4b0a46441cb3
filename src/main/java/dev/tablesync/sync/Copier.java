package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import dev.tablesync.checkpoint.Checkpoint;
import dev.tablesync.checkpoint.CheckpointStore;
import dev.tablesync.conflict.ParkStore;

/**
 * Moves rows for one run: the snapshot in key order, then changes in the change window. Each
 * phase is one loop: a {@link ChangeSource} reads batches (the next one while the current one is
 * written), a {@link Landing} writes each through the sink the target takes, and the checkpoint
 * the source says the batch reaches is saved in ONE target transaction with it, so a crash at any
 * point resumes from the last committed batch with nothing lost and nothing twice.
 */
final class Copier {

    private final SyncPlan plan;
    private final Connection source;
    private final Connection target;
    private final CheckpointStore store;
    private final BatchWriter writer;
    /** Under conflict policy park; else null. */
    private final Parking parking;
    private final KnownTarget known;
    private final RunObserver observer;
    private final BooleanSupplier stopRequested;
    private final Clock clock;
    private long rowsRead;
    private WriteCounts counts = WriteCounts.NONE;
    private Checkpoint committed;
    /** The checkpoint after whose commit shutdown stopped the run, if it did. */
    private Checkpoint stoppedAt;

    /**
     * @param known         the mapping's target as earlier runs found it, and what the mapping was told about it
     * @param stopRequested checked after each commit: true ends the phase there (shutdown)
     * @param park          the park of conflict policy park, null under other policies
     */
    Copier(SyncPlan plan, Connection source, Connection target, CheckpointStore store, long maxStatementBytes,
            KnownTarget known, RunObserver observer, BooleanSupplier stopRequested, Clock clock, ParkStore park) {
        this.plan = plan;
        this.source = source;
        this.target = target;
        this.store = store;
        this.parking = park == null ? null : new Parking(plan, park, clock);
        this.writer = new BatchWriter(plan, maxStatementBytes, null, parking);
        this.known = known;
        this.observer = observer;
        this.stopRequested = stopRequested;
        this.clock = clock;
    }

    /** Copies the table in key order from the checkpoint's cursor to the end. */
    Checkpoint snapshot(Checkpoint start) throws SQLException {
        Landing landing = Landing.forSnapshot(plan, target, writer, known, start.cursor());
        return copy(start, new KeysetSnapshot(plan, start.cursor(), landing::takesText), landing);
    }

    /** Copies changed rows after the checkpoint, up to the window's bound, and marks the target complete. */
    Checkpoint incremental(Checkpoint start, ChangeWindow.Bound bound) throws SQLException {
        return copy(start, new WindowChanges(plan, start.cursor(), bound),
                Landing.forChanges(plan, target, writer, known));
    }

    /** Applies the binlog from the checkpoint's position until {@code changes} ends (at a source commit). */
    Checkpoint follow(Checkpoint start, LogChanges changes) throws SQLException {
        return copy(start, changes, Landing.forLog(plan, target, writer, known));
    }

    /**
     * The run loop of one phase: each batch the source hands over is written, then the checkpoint
     * it reaches saved in the same target transaction, and both committed. Shutdown ends it right
     * after a commit, before the phase's end is recorded: {@link #stoppedAt}.
     */
    private Checkpoint copy(Checkpoint start, ChangeSource changes, Landing landing) throws SQLException {
        Checkpoint cp = start;
        WriteCounts pending = WriteCounts.NONE;
        try (landing; BatchPrefetcher<Batch> batches = new BatchPrefetcher<>("tablesync-read-" + plan.mapping().id(),
                handoff -> changes.read(source, handoff))) {
            for (Optional<Batch> next = batches.next(); next.isPresent(); next = batches.next()) {
                Batch batch = next.get();
                rowsRead += batch.size();
                if (parking != null) {
                    parking.meeting(cp);
                }
                pending = pending.plus(landing.write(batch));
                Optional<Checkpoint> reached = changes.after(cp, batch, clock.instant());
                if (reached.isPresent()) {
                    cp = save(reached.get());
                    counts = counts.plus(pending);
                    observer.batchCommitted(cp, pending);
                    pending = WriteCounts.NONE;
                    if (stopRequested.getAsBoolean()) {
                        stoppedAt = cp;
                    }
                }
                batch.release();
                if (stoppedAt != null) {
                    return cp;
                }
            }
        }
        Optional<Checkpoint> end = changes.end(cp, clock.instant());
        return end.isPresent() ? save(end.get()) : cp;
    }

    private Checkpoint save(Checkpoint cp) throws SQLException {
        store.save(target, cp);
        target.commit();
        committed = cp;
        return cp;
    }

    /** The last checkpoint the target committed in this run, if any. */
    Optional<Checkpoint> committed() {
        return Optional.ofNullable(committed);
    }

    /** The checkpoint after which shutdown stopped the run, if it did; the run then did not finish. */
    Optional<Checkpoint> stoppedAt() {
        return Optional.ofNullable(stoppedAt);
    }

    long rowsRead() {
        return rowsRead;
    }

    WriteCounts counts() {
        return counts;
    }
}
