package dev.tablesync.sync;

import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import dev.tablesync.binlog.BinlogPosition;
import dev.tablesync.binlog.RowChange;
import dev.tablesync.binlog.RowImages;
import dev.tablesync.checkpoint.Checkpoint;
import dev.tablesync.schema.Column;

/**
 * The binlog as a {@link ChangeSource}: drains the mapping's {@link LogQueue} into batches of whole rows to upsert
 * and keys to delete. Each key appears once per batch, its last change winning, so a delete and a re-insert of one
 * key land right. Consecutive small source transactions share a batch; a large one is cut into batches of
 * batch-size rows, of which only the last carries the transaction's commit point, so {@link #after} is empty
 * until then and the target commits the source transaction whole, with its position (memory O(batch)).
 *
 * <p>Ends (at a transaction boundary only) when {@code stop} says so, once the position reached includes
 * {@code until} (a run that catches up), or right after a DDL of the table, committed with its position: rows
 * after it are written under a new definition, which the next session reads again (following the drift rules:
 * an added column is added to the target, other changes stop the mapping), so no row is decoded with the wrong one.
 */
final class LogChanges implements ChangeSource {

    private static final long POLL_MILLIS = 200;
    /** An idle mapping's position moves (and its lag with it) at most this often by transactions of other tables. */
    private static final Duration POSITION_ONLY_EVERY = Duration.ofSeconds(1);

    private final SyncPlan plan;
    private final LogQueue queue;
    private final RowImages images;
    private final int[] projection;
    private final RowKeys keys;
    private final BooleanSupplier stop;
    private final Optional<BinlogPosition> until;
    private final Clock clock;
    /** Committed source transactions not handed over yet, coalesced by key. */
    private Map<String, Op> committed = new LinkedHashMap<>();
    /** The open source transaction's changes, coalesced by key. */
    private Map<String, Op> open = new LinkedHashMap<>();
    private Batch.LogPoint point;
    private BinlogPosition reached;
    private boolean inTransaction;
    /** Part of the open transaction was handed over already (a transaction larger than a batch). */
    private boolean handedOpen;
    private Instant lastHanded;
    /** A DDL of the table committed: the session ends there, the next one reads the definition again. */
    private boolean redefined;
    private boolean redefining;

    private record Op(boolean delete, byte[][] row) {
    }

    LogChanges(SyncPlan plan, LogQueue queue, BinlogPosition from, BooleanSupplier stop,
            Optional<BinlogPosition> until, Clock clock) {
        this.plan = plan;
        this.queue = queue;
        this.images = new RowImages(plan.source().columns(), plan.sourceDialect().server().isMariaDb());
        this.projection = projection(plan);
        this.keys = new RowKeys(plan);
        this.stop = stop;
        this.until = until;
        this.clock = clock;
        this.reached = from;
        this.lastHanded = clock.instant();
    }

    /** Where each copied column is in a source row image (the target may generate some of them itself). */
    private static int[] projection(SyncPlan plan) {
        List<Column> all = plan.source().columns();
        int[] p = new int[plan.columns().size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = all.indexOf(plan.columns().get(i));
        }
        return p;
    }

    @Override
    public void read(Connection source, BatchPrefetcher.Handoff<Batch> handoff) throws SQLException {
        try {
            while (!handoff.cancelled()) {
                LogQueue.Item item = queue.poll(POLL_MILLIS);
                if (item != null) {
                    take(item, handoff);
                } else if (!committed.isEmpty() || point != null && (until.isPresent() || due())) {
                    handCommitted(handoff);
                }
                if (!inTransaction && (redefined || caughtUp() || stop.getAsBoolean())) {
                    if (!committed.isEmpty() || point != null) {
                        handCommitted(handoff);
                    }
                    return;
                }
            }
            // the writer gave up (a failed batch): the run ends with its error
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while following the binlog", e);
        }
    }

    private void take(LogQueue.Item item, BatchPrefetcher.Handoff<Batch> handoff) throws SQLException {
        if (item instanceof LogQueue.Change c) {
            inTransaction = true;
            add(c.change());
            if (committed.size() + open.size() >= plan.mapping().batchSize()) {
                if (!committed.isEmpty() || point != null) {
                    handCommitted(handoff);
                }
                if (open.size() >= plan.mapping().batchSize()) {
                    handoff.hand(batch(open, Optional.empty()));
                    open = new LinkedHashMap<>();
                    handedOpen = true;
                }
            }
        } else if (item instanceof LogQueue.Redefined) {
            inTransaction = true; // the DDL's commit follows: the session ends there
            redefining = true;
        } else if (item instanceof LogQueue.Commit c) {
            merge();
            point = new Batch.LogPoint(c.after(), c.sourceCommitTime());
            boolean rows = !committed.isEmpty();
            redefined = redefining;
            if (redefined || handedOpen || committed.size() >= plan.mapping().batchSize() || queue.isEmpty() && (rows || due())) {
                handCommitted(handoff);
            }
        } else if (item instanceof LogQueue.Rollback) {
            if (handedOpen) {
                throw new SQLTransientConnectionException("the binlog stream reconnected inside a source transaction"
                        + " part of which was written already; the run is retried from the last committed position");
            }
            open = new LinkedHashMap<>();
            inTransaction = false;
            redefining = false;
        } else if (item instanceof LogQueue.Failed f) {
            throw failure(f.cause());
        }
    }

    /** A lost connection is transient; any other failure (a position no longer on the server) is as raised. */
    private static RuntimeException failure(Exception cause) throws SQLException {
        if (cause instanceof SQLException e) {
            throw e;
        }
        if (cause instanceof IOException e) {
            throw new SQLTransientConnectionException("the binlog stream failed: " + e.getMessage(), "08S01", e);
        }
        if (cause instanceof RuntimeException e) {
            return e;
        }
        return new IllegalStateException("the binlog stream failed: " + cause.getMessage(), cause);
    }

    private boolean due() {
        return !Duration.between(lastHanded, clock.instant()).minus(POSITION_ONLY_EVERY).isNegative();
    }

    /** A run that catches up has reached the source's position at its start (handed over or about to be). */
    private boolean caughtUp() {
        return until.isPresent() && (point != null ? point.position() : reached).includes(until.get());
    }

    private void handCommitted(BatchPrefetcher.Handoff<Batch> handoff) {
        handoff.hand(batch(committed, Optional.ofNullable(point)));
        if (point != null) {
            reached = point.position();
        }
        committed = new LinkedHashMap<>();
        point = null;
        handedOpen = false;
        lastHanded = clock.instant();
    }

    private Batch batch(Map<String, Op> ops, Optional<Batch.LogPoint> at) {
        List<byte[][]> upserts = new ArrayList<>();
        List<byte[][]> deletes = new ArrayList<>();
        ops.values().forEach(op -> (op.delete() ? deletes : upserts).add(op.row()));
        return Batch.ofLog(upserts, deletes, at);
    }

    /** The open transaction committed: its changes join the committed ones, later ones winning per key. */
    private void merge() {
        open.forEach((key, op) -> {
            committed.remove(key);
            committed.put(key, op);
        });
        open = new LinkedHashMap<>();
        inTransaction = false;
    }

    /** Inserts and updates upsert the whole after-image; deletes, and the old key of a key change, delete. */
    private void add(RowChange change) {
        byte[][] after = change.after() == null ? null : row(change, change.after());
        byte[][] before = change.before() == null ? null : row(change, change.before());
        if (before != null && (after == null || !keys.text(before).equals(keys.text(after)))) {
            put(before, true);
        }
        if (after != null) {
            put(after, false);
        }
    }

    private void put(byte[][] row, boolean delete) {
        String key = keys.text(row);
        open.remove(key);
        open.put(key, new Op(delete, row));
    }

    private byte[][] row(RowChange change, Serializable[] image) {
        byte[][] all = images.values(change, image);
        byte[][] row = new byte[projection.length][];
        for (int i = 0; i < projection.length; i++) {
            row[i] = all[projection[i]];
        }
        return row;
    }

    @Override
    public Optional<Checkpoint> after(Checkpoint cp, Batch batch, Instant now) {
        return batch.logPoint().map(p -> cp.applied(p.position(), p.time(), batch.size(), now));
    }

    @Override
    public Optional<Checkpoint> end(Checkpoint cp, Instant now) {
        return Optional.empty();
    }
}
