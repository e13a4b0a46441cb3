package dev.tablesync.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.tablesync.sql.TabText;

/**
 * Cuts the snapshot's row stream into batches on the reader thread. For a bulk load each row is
 * formatted as it arrives, so no row object outlives its read and a batch holds its rows in about
 * their size on the wire; a batch then ends at bulk-batch-size rows or at its byte budget,
 * whichever comes first. Text buffers are reused and never grow (unless one row alone is larger;
 * such a buffer is not kept), so their memory is allocated once per run: at most
 * {@link BatchPrefetcher#AHEAD} + 2 of them, which together take at most an eighth of the heap.
 * Once the writer has had to decline a load, the batches that follow are rows of batch-size.
 */
final class SnapshotBatches implements SourceReader.RowSink {

    /** Text per bulk batch, at most: more saves little, the load's own cost per row dominates by then. */
    static final int MAX_TEXT_BYTES = 4 << 20;

    private final BatchPrefetcher.Handoff<Batch> handoff;
    private final int rowBatchSize;
    private final int textBatchSize;
    private final int textBytes;
    private final Supplier<TabText> newText;
    private final Predicate<byte[][]> marked;
    private final BooleanSupplier declined;
    private final BlockingQueue<TabText> free = new ArrayBlockingQueue<>(BatchPrefetcher.AHEAD + 2);
    private List<byte[][]> rows = new ArrayList<>();
    private long rowBytes;
    private TabText text;
    private byte[][] last;
    private int size;

    /**
     * @param textBatchSize rows per formatted batch; 0 for batches of rows only
     * @param newText       a buffer of {@code textBytes} in the layout the load expects
     * @param marked        rows marked deleted under delete-mode hard, which a bulk load leaves out
     * @param declined      true once the writer declined a load: rows of {@code rowBatchSize} from then on
     */
    SnapshotBatches(int rowBatchSize, int textBatchSize, int textBytes, Supplier<TabText> newText,
            Predicate<byte[][]> marked, BooleanSupplier declined, BatchPrefetcher.Handoff<Batch> handoff) {
        this.rowBatchSize = rowBatchSize;
        this.textBatchSize = textBatchSize;
        this.textBytes = textBytes;
        this.newText = newText;
        this.marked = marked;
        this.declined = declined;
        this.handoff = handoff;
        this.text = textBatchSize > 0 ? newText.get() : null;
    }

    /** Batches of rows of batch-size, for upserts. */
    static SnapshotBatches rows(SyncPlan plan, BatchPrefetcher.Handoff<Batch> handoff) {
        return new SnapshotBatches(plan.mapping().batchSize(), 0, 0, null, r -> false, () -> true, handoff);
    }

    /** Batches formatted for {@link BulkLoader}, until {@code declined} says the target refused one. */
    static SnapshotBatches formatted(SyncPlan plan, BooleanSupplier declined,
            BatchPrefetcher.Handoff<Batch> handoff) {
        int flag = plan.hardDeletes() ? plan.positions(List.of(plan.softDelete().column().orElseThrow()))[0] : -1;
        int bytes = textBudget(Runtime.getRuntime().maxMemory());
        return new SnapshotBatches(plan.mapping().batchSize(), plan.mapping().bulkBatchSize(), bytes,
                () -> TabText.forColumns(plan.columns(), bytes),
                row -> flag >= 0 && plan.softDelete().marksDeleted(row[flag]), declined, handoff);
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

    @Override
    public void accept(byte[][] row) {
        long bytes = TabText.maxLength(row);
        // Handed over before the buffer would have to grow: rows kept as rows count against it too.
        if (text != null && size > 0 && text.length() + rowBytes + bytes > textBytes) {
            hand();
        }
        if (text == null || marked.test(row)) {
            rows.add(row);
            rowBytes += text == null ? 0 : bytes;
        } else {
            text.append(row);
        }
        last = row;
        size++;
        if (size == (text == null ? rowBatchSize : textBatchSize)) {
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
        Batch batch = text == null ? Batch.ofRows(rows)
                : Batch.formatted(text, rows, size, last, this::release);
        rows = new ArrayList<>();
        rowBytes = 0;
        size = 0;
        handoff.hand(batch);
        if (text != null && declined.getAsBoolean()) {
            text = null;
        } else if (text != null) {
            // Taken only now: while hand() waited, the writer may have released one.
            TabText next = free.poll();
            text = next != null ? next : newText.get();
            text.reset();
        }
    }

    /** Called by the writer once a batch is written; a buffer one huge row made grow is not kept. */
    private void release(TabText done) {
        if (done.capacity() <= textBytes) {
            free.offer(done);
        }
    }
}
