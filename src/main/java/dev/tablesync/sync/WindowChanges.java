package dev.tablesync.sync;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.tablesync.checkpoint.Checkpoint;
import dev.tablesync.checkpoint.Cursor;
import dev.tablesync.schema.Column;
import dev.tablesync.schema.Mode;
import dev.tablesync.sql.Values;

/**
 * The incremental phase's rows: those changed after the checkpoint's cursor up to the change
 * window's bound, by {@code (ts, key)} in timestamp mode, by key in id mode. The first query asks
 * for one batch, buffered: a run that finds a few rows or none sends just that. After a full one,
 * each streamed query reads a segment of up to {@link KeysetSnapshot#BATCHES_PER_SEGMENT} batches,
 * so the source plans and starts a scan once per segment instead of once per batch, and no read
 * view stays open long. The last, shorter batch also marks the target complete up to the bound:
 * one commit instead of two.
 */
final class WindowChanges implements ChangeSource {

    private final SyncPlan plan;
    private final Optional<Cursor> from;
    private final ChangeWindow.Bound bound;
    private final int batchSize;
    private final List<Column> order;
    private final int[] positions;
    /** Whether a committed batch already marked the target complete; writing thread only. */
    private boolean complete;

    WindowChanges(SyncPlan plan, Optional<Cursor> from, ChangeWindow.Bound bound) {
        this.plan = plan;
        this.from = from;
        this.bound = bound;
        this.batchSize = plan.mapping().batchSize();
        this.order = plan.incrementalOrder();
        this.positions = plan.positions(order);
    }

    @Override
    public void read(Connection source, BatchPrefetcher.Handoff<Batch> handoff) throws SQLException {
        List<List<byte[][]>> current = new ArrayList<>(List.of(new ArrayList<>(batchSize)));
        byte[][][] last = new byte[1][][];
        SourceReader.RowSink batching = row -> {
            last[0] = row;
            current.get(0).add(row);
            if (current.get(0).size() == batchSize) {
                handoff.hand(Batch.ofRows(current.get(0)));
                current.set(0, new ArrayList<>(batchSize));
            }
        };
        Optional<Cursor> after = from;
        long limit = batchSize;
        boolean stream = false;
        while (true) {
            long read = readChanged(source, after, limit, stream, batching);
            if (last[0] != null) {
                after = Optional.of(SourceReader.cursorAt(last[0], positions, order));
            }
            if (read < limit) {
                break;
            }
            limit = Math.max((long) batchSize * KeysetSnapshot.BATCHES_PER_SEGMENT, batchSize);
            stream = true;
        }
        if (!current.get(0).isEmpty()) {
            handoff.hand(Batch.ofRows(current.get(0)));
        }
    }

    /** Up to {@code limit} changed rows after {@code after}, up to the bound: a time (timestamp mode) or an id. */
    private long readChanged(Connection source, Optional<Cursor> after, long limit, boolean stream,
            SourceReader.RowSink sink) throws SQLException {
        String sql = plan.tracking().mode() == Mode.TIMESTAMP
                ? plan.sourceDialect().reads().selectChanged(plan.source().id(), plan.columns(),
                        plan.trackingColumnName().orElseThrow(), plan.source().key(),
                        after.map(Cursor::length).orElse(0), limit)
                : plan.sourceDialect().reads().selectNewIds(plan.source().id(), plan.columns(), plan.source().key().get(0),
                        after.isPresent(), limit);
        return SourceReader.read(source, sql, plan.columns().size(), stream, ps -> {
            int next = SourceReader.bindCursor(ps, 1, order, after);
            Values.bind(ps, next, order.get(0), bound.value().getBytes(StandardCharsets.UTF_8));
        }, sink);
    }

    @Override
    public Optional<Checkpoint> after(Checkpoint cp, Batch batch, Instant now) {
        Checkpoint next = cp;
        if (batch.size() < batchSize) {
            next = next.completeUpTo(bound.sourceTime(), now);
            complete = true;
        }
        return Optional.of(next.advance(SourceReader.cursorAt(batch.last(), positions, order), batch.size(), now));
    }

    @Override
    public Optional<Checkpoint> end(Checkpoint cp, Instant now) {
        return complete ? Optional.empty() : Optional.of(cp.completeUpTo(bound.sourceTime(), now));
    }
}
