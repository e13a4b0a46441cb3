package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import dev.tablesync.checkpoint.Checkpoint;
import dev.tablesync.checkpoint.CheckpointStore;
import dev.tablesync.checkpoint.Cursor;
import dev.tablesync.schema.Column;
import dev.tablesync.sql.SqlErrors;

/**
 * Moves rows for one run: the snapshot in key order, then changes in the change window. Each
 * batch is written and its checkpoint saved in ONE target transaction, so a crash at any point
 * resumes from the last committed batch with nothing lost and nothing twice.
 */
final class Copier {

    private static final Logger LOG = Logger.getLogger(Copier.class);

    /** A snapshot reads this many batches per streamed query, so no read view stays open long. */
    static final int BATCHES_PER_SEGMENT = 100;

    private final SyncPlan plan;
    private final Connection source;
    private final Connection target;
    private final CheckpointStore store;
    private final BatchWriter writer;
    private final SourceReader reader;
    private final RunObserver observer;
    private final BooleanSupplier stopRequested;
    private final Clock clock;
    private long rowsRead;
    private WriteCounts counts = WriteCounts.NONE;
    private Checkpoint committed;
    /** The batch after whose commit shutdown stopped the run, if it did. */
    private Checkpoint stoppedAt;
    /** Set while a snapshot fills a key range the target does not have yet; read by the reader thread. */
    private volatile BulkLoader bulk;
    /** The incremental phase's staged writer once opened; empty when the target declined it. */
    private Optional<StagedWriter> staged;

    Copier(SyncPlan plan, Connection source, Connection target, CheckpointStore store, long maxStatementBytes,
            RunObserver observer, BooleanSupplier stopRequested, Clock clock) {
        this.plan = plan;
        this.source = source;
        this.target = target;
        this.store = store;
        this.writer = new BatchWriter(plan, maxStatementBytes);
        this.reader = new SourceReader(plan);
        this.observer = observer;
        this.stopRequested = stopRequested;
        this.clock = clock;
    }

    /**
     * Copies the table in key order from the checkpoint's cursor to the end, or until shutdown stops
     * it after a commit. The next batch is read while the current one is written; each still commits
     * with its checkpoint.
     */
    Checkpoint snapshot(Checkpoint start) throws SQLException {
        long segment = (long) plan.mapping().batchSize() * BATCHES_PER_SEGMENT;
        int[] keys = plan.positions(plan.keyColumns());
        Checkpoint cp = start;
        bulk = BulkLoader.forEmptyRange(plan, target, start.cursor()).orElse(null);
        boolean formatted = bulk != null;
        try (BatchPrefetcher<SnapshotBatch> batches = new BatchPrefetcher<>("tablesync-read-" + plan.mapping().id(),
                handoff -> {
                    SnapshotBatches batching = formatted ? SnapshotBatches.formatted(plan, () -> bulk == null, handoff)
                            : SnapshotBatches.rows(plan, handoff);
                    reader.snapshotRows(source, start.cursor(), segment, batching);
                    batching.finish();
                })) {
            for (Optional<SnapshotBatch> batch = batches.next(); batch.isPresent(); batch = batches.next()) {
                rowsRead += batch.get().size();
                cp = advance(cp, batch.get().last(), batch.get().size(), write(batch.get()), keys, plan.keyColumns());
                batch.get().release();
                if (stoppedAt != null) {
                    return cp;
                }
            }
        } finally {
            bulk = null;
        }
        return save(cp.snapshotDone(clock.instant()));
    }

    /** Bulk-loads into a still-empty key range; anything else, or a declined load, goes through upserts. */
    private WriteCounts write(SnapshotBatch batch) throws SQLException {
        if (bulk != null && batch.text().isPresent()) {
            Optional<WriteCounts> loaded = declinedOnError(batch);
            if (loaded.isPresent()) {
                return loaded.get();
            }
            target.rollback();
            bulk = null;
        }
        return writer.write(target, batch.rows());
    }

    /**
     * Copies changed rows after the checkpoint, up to the window's bound, and marks the target
     * complete, unless shutdown stops it after a commit. The next batch is read while the current
     * one is written, as in the snapshot.
     */
    Checkpoint incremental(Checkpoint start, ChangeWindow.Bound bound) throws SQLException {
        int batchSize = plan.mapping().batchSize();
        List<Column> order = plan.incrementalOrder();
        int[] positions = plan.positions(order);
        Checkpoint cp = start;
        boolean complete = false;
        try (BatchPrefetcher<List<byte[][]>> batches = new BatchPrefetcher<>("tablesync-read-" + plan.mapping().id(),
                handoff -> reader.changedBatches(source, start.cursor(), bound.value(), batchSize,
                        (long) batchSize * BATCHES_PER_SEGMENT, handoff))) {
            for (Optional<List<byte[][]>> batch = batches.next(); batch.isPresent(); batch = batches.next()) {
                if (batch.get().size() < batchSize) {
                    // The last batch also records completeness: one commit instead of two.
                    cp = cp.completeUpTo(bound.sourceTime(), clock.instant());
                    complete = true;
                }
                cp = commit(cp, batch.get(), positions, order);
                if (stoppedAt != null) {
                    return cp;
                }
            }
        } finally {
            if (staged != null) {
                staged.ifPresent(s -> s.close(target));
                staged = null;
            }
        }
        return complete ? cp : save(cp.completeUpTo(bound.sourceTime(), clock.instant()));
    }

    /**
     * Through a staging table while the target takes it (opened at the first changed batch, so a
     * run without changes costs nothing more); a declined batch is rolled back and upserted, and
     * so is the rest of the run.
     */
    private WriteCounts writeChanges(List<byte[][]> batch) throws SQLException {
        if (staged == null) {
            staged = StagedWriter.open(plan, writer, target);
        }
        if (staged.isPresent()) {
            Optional<WriteCounts> written = staged.get().write(target, batch);
            if (written.isPresent()) {
                return written.get();
            }
            target.rollback();
            staged.get().close(target);
            staged = Optional.empty();
        }
        return writer.write(target, batch);
    }

    /**
     * A load the server refused (a value it would not take as text, say) is declined like an
     * inexact one, so the batch goes through upserts, which refuse or take it as they always do.
     * A lost connection is not: that run fails and retries like any other.
     */
    private Optional<WriteCounts> declinedOnError(SnapshotBatch batch) throws SQLException {
        try {
            return bulk.load(target, batch);
        } catch (SQLException e) {
            if (SqlErrors.isTransient(e)) {
                throw e;
            }
            LOG.warnf("Mapping %s: bulk load into %s refused (%s); the snapshot goes on with INSERT statements",
                    plan.mapping().id(), plan.target().id(), e.getMessage());
            return Optional.empty();
        }
    }

    private Checkpoint commit(Checkpoint cp, List<byte[][]> batch, int[] positions, List<Column> order)
            throws SQLException {
        rowsRead += batch.size();
        Checkpoint next = advance(cp, batch.get(batch.size() - 1), batch.size(), writeChanges(batch),
                positions, order);
        batch.clear();
        return next;
    }

    /** Saves the checkpoint after {@code last} in the transaction that wrote its batch, and commits both. */
    private Checkpoint advance(Checkpoint cp, byte[][] last, int rows, WriteCounts written, int[] positions,
            List<Column> order) throws SQLException {
        List<byte[]> values = new ArrayList<>(positions.length);
        for (int p : positions) {
            values.add(last[p]);
        }
        Checkpoint next = save(cp.advance(Cursor.at(order, values), rows, clock.instant()));
        counts = counts.plus(written);
        observer.batchCommitted(next, written);
        if (stopRequested.getAsBoolean()) {
            stoppedAt = next;
        }
        return next;
    }

    private Checkpoint save(Checkpoint cp) throws SQLException {
        store.save(target, cp);
        target.commit();
        committed = cp;
        return cp;
    }

    /** The last checkpoint the target committed in this run, if any. */
    java.util.Optional<Checkpoint> committed() {
        return java.util.Optional.ofNullable(committed);
    }

    /** The checkpoint after which shutdown stopped the run, if it did; the run then did not finish. */
    java.util.Optional<Checkpoint> stoppedAt() {
        return java.util.Optional.ofNullable(stoppedAt);
    }

    long rowsRead() {
        return rowsRead;
    }

    WriteCounts counts() {
        return counts;
    }
}
