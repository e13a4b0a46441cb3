package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.tablesync.checkpoint.Checkpoint;
import dev.tablesync.checkpoint.CheckpointStore;
import dev.tablesync.sql.SqlErrors;

/**
 * Moves rows for one run: the snapshot in key order, then changes in the change window. Each
 * batch is written and its checkpoint saved in ONE target transaction, so a crash at any point
 * resumes from the last committed batch with nothing lost and nothing twice.
 */
final class Copier {

    private static final Logger LOG = Logger.getLogger(Copier.class);

    private final SyncPlan plan;
    private final Connection source;
    private final Connection target;
    private final CheckpointStore store;
    private final BatchWriter writer;
    private final RunObserver observer;
    private final Clock clock;
    private long rowsRead;
    private WriteCounts counts = WriteCounts.NONE;
    private Checkpoint committed;
    /** Set while a snapshot fills a key range the target does not have yet; read by the reader thread. */
    private volatile BulkLoader bulk;
    /** The incremental phase's staged writer once opened; empty when the target declined it. */
    private Optional<StagedWriter> staged;

    Copier(SyncPlan plan, Connection source, Connection target, CheckpointStore store, long maxStatementBytes,
            RunObserver observer, Clock clock) {
        this.plan = plan;
        this.source = source;
        this.target = target;
        this.store = store;
        this.writer = new BatchWriter(plan, maxStatementBytes);
        this.observer = observer;
        this.clock = clock;
    }

    /**
     * Copies the table in key order from the checkpoint's cursor to the end. The next batch is
     * read while the current one is written; each still commits with its checkpoint.
     */
    Checkpoint snapshot(Checkpoint start) throws SQLException {
        bulk = BulkLoader.forEmptyRange(plan, target, start.cursor()).orElse(null);
        try {
            return copy(start, new KeysetSnapshot(plan, start.cursor(), () -> bulk != null), this::write);
        } finally {
            bulk = null;
        }
    }

    /** The write of one batch, without committing. */
    private interface Write {
        WriteCounts write(Batch batch) throws SQLException;
    }

    /**
     * The run loop of one phase: each batch the source hands over is written, then its checkpoint
     * saved in the same target transaction, and both committed. The next batch is read meanwhile.
     */
    private Checkpoint copy(Checkpoint start, ChangeSource changes, Write write) throws SQLException {
        Checkpoint cp = start;
        WriteCounts pending = WriteCounts.NONE;
        try (BatchPrefetcher<Batch> batches = new BatchPrefetcher<>("tablesync-read-" + plan.mapping().id(),
                handoff -> changes.read(source, handoff))) {
            for (Optional<Batch> next = batches.next(); next.isPresent(); next = batches.next()) {
                Batch batch = next.get();
                rowsRead += batch.size();
                pending = pending.plus(write.write(batch));
                Optional<Checkpoint> reached = changes.after(cp, batch, clock.instant());
                if (reached.isPresent()) {
                    cp = save(reached.get());
                    counts = counts.plus(pending);
                    observer.batchCommitted(cp, pending);
                    pending = WriteCounts.NONE;
                }
                batch.release();
            }
        }
        Optional<Checkpoint> end = changes.end(cp, clock.instant());
        return end.isPresent() ? save(end.get()) : cp;
    }

    /** Bulk-loads into a still-empty key range; anything else, or a declined load, goes through upserts. */
    private WriteCounts write(Batch batch) throws SQLException {
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
     * complete. The next batch is read while the current one is written, as in the snapshot.
     */
    Checkpoint incremental(Checkpoint start, ChangeWindow.Bound bound) throws SQLException {
        try {
            return copy(start, new WindowChanges(plan, start.cursor(), bound), b -> writeChanges(b.rows()));
        } finally {
            if (staged != null) {
                staged.ifPresent(s -> s.close(target));
                staged = null;
            }
        }
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
    private Optional<WriteCounts> declinedOnError(Batch batch) throws SQLException {
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

    long rowsRead() {
        return rowsRead;
    }

    WriteCounts counts() {
        return counts;
    }
}
