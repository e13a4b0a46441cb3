package dev.tablesync.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import dev.tablesync.sql.TabText;

/**
 * Cuts the snapshot's row stream into batches on the reader thread. For a bulk load each row is
 * formatted as it arrives, so no row object outlives its read and a batch holds its rows in about
 * their size on the wire; a batch then ends at bulk-batch-size rows or at its text budget,
 * whichever comes first. Text buffers are reused and never grow (unless one row alone is larger),
 * so their memory is allocated once per run: at most {@link BatchPrefetcher#AHEAD} + 2 of them,
 * which together take at most an eighth of the heap.
 */
final class SnapshotBatches implements SourceReader.RowSink {

    /** Text per bulk batch, at most: more saves little, the load's own cost per row dominates by then. */
    static final int MAX_TEXT_BYTES = 4 << 20;

    private final BatchPrefetcher.Handoff<SnapshotBatch> handoff;
    private final int batchSize;
    private final SyncPlan plan;
    private final int flagPosition;
    private final int textBytes = textBudget(Runtime.getRuntime().maxMemory());
    private final BlockingQueue<TabText> free = new ArrayBlockingQueue<>(BatchPrefetcher.AHEAD + 2);
    private List<byte[][]> rows = new ArrayList<>();
    private final boolean formatted;
    private TabText text;
    private byte[][] last;
    private int size;

    private SnapshotBatches(SyncPlan plan, int batchSize, boolean formatted,
            BatchPrefetcher.Handoff<SnapshotBatch> handoff) {
        this.plan = plan;
        this.batchSize = batchSize;
        this.handoff = handoff;
        this.flagPosition = plan.hardDeletes() ? plan.positions(List.of(plan.softDelete().column().orElseThrow()))[0]
                : -1;
        this.formatted = formatted;
        this.text = formatted ? TabText.forColumns(plan.columns(), textBytes) : null;
    }

    /**
     * Bytes of text per bulk batch for a heap of {@code maxHeap}: {@link #MAX_TEXT_BYTES}, or a 32nd
     * of the heap if less, in steps of 256 KiB less 1 KiB: G1 gives a large buffer whole regions (1
     * MiB or more), and one just over a region boundary would waste nearly a region.
     */
    static int textBudget(long maxHeap) {
        long step = 256 << 10;
        long budget = Math.min(MAX_TEXT_BYTES, maxHeap / 32) / step * step;
        return (int) Math.max(64 << 10, budget - 1024);
    }

    /** Batches of rows, for upserts. */
    static SnapshotBatches rows(SyncPlan plan, BatchPrefetcher.Handoff<SnapshotBatch> handoff) {
        return new SnapshotBatches(plan, plan.mapping().batchSize(), false, handoff);
    }

    /** Batches formatted for {@link BulkLoader}. */
    static SnapshotBatches formatted(SyncPlan plan, BatchPrefetcher.Handoff<SnapshotBatch> handoff) {
        return new SnapshotBatches(plan, plan.mapping().bulkBatchSize(), true, handoff);
    }

    @Override
    public void accept(byte[][] row) {
        if (!formatted || (flagPosition >= 0 && plan.softDelete().marksDeleted(row[flagPosition]))) {
            rows.add(row);
        } else {
            // Handed over before the buffer would have to grow: a grown buffer stays grown in the pool.
            if (size > 0 && text.length() + TabText.maxLength(row) > textBytes) {
                hand();
            }
            text.append(row);
        }
        last = row;
        size++;
        if (size == batchSize) {
            hand();
        }
    }

    /** Hands over the last, shorter batch. */
    void finish() {
        if (size > 0) {
            hand();
        }
    }

    private void hand() {
        SnapshotBatch batch = formatted ? SnapshotBatch.formatted(text, rows, size, last, free::offer)
                : SnapshotBatch.ofRows(rows);
        rows = new ArrayList<>();
        size = 0;
        handoff.hand(batch);
        if (formatted) {
            // Taken only now: while hand() waited, the writer may have released one.
            TabText next = free.poll();
            text = next != null ? next : TabText.forColumns(plan.columns(), textBytes);
            text.reset();
        }
    }
}
