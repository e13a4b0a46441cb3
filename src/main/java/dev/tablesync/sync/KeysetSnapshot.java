package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import dev.tablesync.checkpoint.Checkpoint;
import dev.tablesync.checkpoint.Cursor;

/**
 * The snapshot's rows: the whole table in key order from the checkpoint's cursor to the end,
 * streamed in segments of {@link #BATCHES_PER_SEGMENT} batches so that no read view stays open
 * long. Batches are cut on the reader thread by {@link SnapshotBatches}, as text while the sink
 * takes text (a bulk load), as rows once it does not.
 */
final class KeysetSnapshot implements ChangeSource {

    /** A snapshot reads this many batches per streamed query, so no read view stays open long. */
    static final int BATCHES_PER_SEGMENT = 100;

    private final SyncPlan plan;
    private final Optional<Cursor> from;
    private final BooleanSupplier takesText;
    private final boolean formatted;
    private final int[] keys;

    /** @param takesText whether the phase's sink takes text now; false from the moment it was downgraded */
    KeysetSnapshot(SyncPlan plan, Optional<Cursor> from, BooleanSupplier takesText) {
        this.plan = plan;
        this.from = from;
        this.takesText = takesText;
        this.formatted = takesText.getAsBoolean();
        this.keys = plan.positions(plan.keyColumns());
    }

    @Override
    public void read(Connection source, BatchPrefetcher.Handoff<Batch> handoff) throws SQLException {
        SnapshotBatches batching = formatted ? SnapshotBatches.formatted(plan, () -> !takesText.getAsBoolean(),
                handoff) : SnapshotBatches.rows(plan, handoff);
        long segment = (long) plan.mapping().batchSize() * BATCHES_PER_SEGMENT;
        byte[][][] last = new byte[1][][];
        Optional<Cursor> after = from;
        long streamed;
        do {
            String sql = plan.sourceDialect().reads().selectByKey(plan.source().id(), plan.columns(), plan.source().key(),
                    after.isPresent(), segment);
            Optional<Cursor> cursor = after;
            streamed = SourceReader.read(source, sql, plan.columns().size(), true,
                    ps -> SourceReader.bindCursor(ps, 1, plan.keyColumns(), cursor), row -> {
                        last[0] = row;
                        batching.accept(row);
                    });
            if (last[0] != null) {
                after = Optional.of(SourceReader.cursorAt(last[0], keys, plan.keyColumns()));
            }
        } while (streamed == segment);
        batching.finish();
    }

    @Override
    public Optional<Checkpoint> after(Checkpoint cp, Batch batch, Instant now) {
        return Optional.of(cp.advance(SourceReader.cursorAt(batch.last(), keys, plan.keyColumns()), batch.size(),
                now));
    }

    @Override
    public Optional<Checkpoint> end(Checkpoint cp, Instant now) {
        return Optional.of(cp.snapshotDone(now));
    }
}
