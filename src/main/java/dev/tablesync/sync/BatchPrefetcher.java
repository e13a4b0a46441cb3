package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.tablesync.checkpoint.Cursor;
import dev.tablesync.schema.Column;

/**
 * Reads the snapshot's batches on its own thread while the caller writes the previous ones, so
 * the source and the target work at the same time. At most {@link #AHEAD} batches wait, so
 * memory stays a few batches whatever the table size. Nothing here touches the checkpoint: the
 * writer still commits each batch with its own, and a failure on either side stops both.
 */
final class BatchPrefetcher implements AutoCloseable {

    static final int AHEAD = 2;
    private static final List<byte[][]> END = List.of();

    private final BlockingQueue<List<byte[][]>> ready = new ArrayBlockingQueue<>(AHEAD);
    private final Thread thread;
    private volatile Throwable failure;
    private volatile boolean cancelled;

    BatchPrefetcher(SourceReader reader, Connection source, Optional<Cursor> from, SyncPlan plan, int batchSize,
            long segmentRows) {
        this.thread = new Thread(() -> read(reader, source, from, plan, batchSize, segmentRows),
                "tablesync-read-" + plan.mapping().id());
        thread.setDaemon(true);
        thread.start();
    }

    /** The next batch in key order, or empty at the end of the table. */
    Optional<List<byte[][]>> next() throws SQLException {
        try {
            List<byte[][]> batch;
            do {
                batch = ready.poll(100, TimeUnit.MILLISECONDS);
                rethrow();
            } while (batch == null);
            return batch == END ? Optional.empty() : Optional.of(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the source", e);
        }
    }

    private void read(SourceReader reader, Connection source, Optional<Cursor> from, SyncPlan plan, int batchSize,
            long segmentRows) {
        int[] keys = plan.positions(plan.keyColumns());
        List<Column> keyColumns = plan.keyColumns();
        List<List<byte[][]>> current = new ArrayList<>(List.of(new ArrayList<>(batchSize)));
        byte[][][] last = new byte[1][][];
        try {
            Optional<Cursor> after = from;
            long streamed;
            do {
                streamed = reader.streamByKey(source, after, segmentRows, row -> {
                    last[0] = row;
                    current.get(0).add(row);
                    if (current.get(0).size() == batchSize) {
                        handFromStream(current.get(0));
                        current.set(0, new ArrayList<>(batchSize));
                    }
                });
                if (last[0] != null) {
                    after = Optional.of(cursorAt(last[0], keys, keyColumns));
                }
            } while (streamed == segmentRows && !cancelled);
            if (!current.get(0).isEmpty()) {
                hand(current.get(0));
            }
            hand(END);
        } catch (InterruptedException | Cancelled e) {
            // cancelled by the writer: it already has its own reason to stop
        } catch (SQLException | RuntimeException e) {
            failure = e;
        }
    }

    /** Leaves the driver's row loop when the writer gave up (the row sink may only throw SQLException). */
    private static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    private void handFromStream(List<byte[][]> batch) {
        try {
            hand(batch);
        } catch (InterruptedException e) {
            throw new Cancelled();
        }
    }

    private void hand(List<byte[][]> batch) throws InterruptedException {
        while (!ready.offer(batch, 100, TimeUnit.MILLISECONDS)) {
            if (cancelled) {
                throw new InterruptedException("cancelled");
            }
        }
    }

    private static Cursor cursorAt(byte[][] row, int[] positions, List<Column> columns) {
        List<byte[]> values = new ArrayList<>(positions.length);
        for (int p : positions) {
            values.add(row[p]);
        }
        return Cursor.at(columns, values);
    }

    private void rethrow() throws SQLException {
        Throwable e = failure;
        if (e instanceof SQLException sql) {
            throw sql;
        }
        if (e instanceof RuntimeException runtime) {
            throw runtime;
        }
    }

    /** Stops the reader (if still going) and waits for it, so the source connection is free again. */
    @Override
    public void close() {
        cancelled = true;
        ready.clear();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
