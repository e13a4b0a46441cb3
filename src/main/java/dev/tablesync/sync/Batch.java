package dev.tablesync.sync;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import dev.tablesync.sql.TabText;

/**
 * One batch as a {@link ChangeSource} read it: its rows, or, while a snapshot bulk-loads, the
 * rows already in {@code LOAD DATA} text, which takes a fraction of the heap and leaves no
 * per-row objects for the collector. Rows marked deleted under delete-mode hard are never
 * loaded, so they stay rows beside the text.
 */
final class Batch {

    private final List<byte[][]> rows;
    private final TabText text;
    private final int size;
    private final byte[][] last;
    private final Consumer<TabText> release;
    /** Rows whose key the target must delete (a log's deletes and old keys of key changes); written first. */
    private final List<byte[][]> deleted;
    /** Where the source stands once this batch commits, when it ends a source transaction (a log source). */
    private final Optional<LogPoint> logPoint;

    private Batch(List<byte[][]> rows, TabText text, int size, byte[][] last, Consumer<TabText> release) {
        this(rows, text, size, last, release, List.of(), Optional.empty());
    }

    private Batch(List<byte[][]> rows, TabText text, int size, byte[][] last, Consumer<TabText> release,
            List<byte[][]> deleted, Optional<LogPoint> logPoint) {
        this.rows = rows;
        this.text = text;
        this.size = size;
        this.last = last;
        this.release = release;
        this.deleted = deleted;
        this.logPoint = logPoint;
    }

    /**
     * A point in the source's log where a source transaction committed, at source time {@code time}.
     *
     * @param position the binlog position right after that commit
     */
    record LogPoint(dev.tablesync.binlog.BinlogPosition position, java.time.Instant time) {
    }

    /**
     * A batch of a log source: rows to upsert as whole images and rows whose key to delete, each key once (the
     * last change of it in the batch wins); {@code point} present when the batch ends a source transaction.
     * Either list may be empty (a batch that only moves the position).
     */
    static Batch ofLog(List<byte[][]> upserts, List<byte[][]> deletes, Optional<LogPoint> point) {
        return new Batch(upserts, null, upserts.size() + deletes.size(), null, t -> {
        }, deletes, point);
    }

    /** Rows whose key the target deletes before the batch's rows are written; empty but for a log source. */
    List<byte[][]> deleted() {
        return deleted;
    }

    /** Where the source stands once this batch commits; empty inside a source transaction and for queries. */
    Optional<LogPoint> logPoint() {
        return logPoint;
    }

    static Batch ofRows(List<byte[][]> rows) {
        return new Batch(rows, null, rows.size(), rows.get(rows.size() - 1), t -> {
        });
    }

    /**
     * @param marked  rows marked deleted, which are not in {@code text}
     * @param size    every row read, marked ones included
     * @param release takes the text buffer back once the batch is written
     */
    static Batch formatted(TabText text, List<byte[][]> marked, int size, byte[][] last,
            Consumer<TabText> release) {
        return new Batch(marked, text, size, last, release);
    }

    /** Rows read from the source, marked ones included. */
    int size() {
        return size;
    }

    /** The last row read, whose key is the checkpoint's cursor once the batch commits; null for a log batch. */
    byte[][] last() {
        return last;
    }

    /** The rows to load, when the batch was formatted for a bulk load. */
    Optional<TabText> text() {
        return Optional.ofNullable(text);
    }

    /**
     * Every row to write, decoded from the text if need be (a bulk load that was declined); marked
     * rows come last, out of key order, which is harmless: the cursor is {@link #last()}.
     */
    List<byte[][]> rows() {
        if (text == null) {
            return rows;
        }
        List<byte[][]> all = text.decode();
        all.addAll(rows);
        return all;
    }

    /** Done with: the text buffer may hold the next batch, and the rows are not kept. */
    void release() {
        if (text != null) {
            release.accept(text);
        } else {
            rows.clear();
        }
    }
}
