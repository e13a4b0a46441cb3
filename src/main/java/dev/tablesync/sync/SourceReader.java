package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.tablesync.checkpoint.Cursor;
import dev.tablesync.schema.Column;
import dev.tablesync.sql.Values;

/**
 * Reads rows from the source as the server's raw text/bytes, one {@code byte[]} per column in
 * {@link SyncPlan#columns()} order. Large reads stream row by row from the server, so memory
 * holds one batch at a time whatever the table size.
 */
final class SourceReader {

    /** Receives streamed rows; may write them to the target as it goes. */
    interface RowSink {
        void accept(byte[][] row) throws SQLException;
    }

    private final SyncPlan plan;

    SourceReader(SyncPlan plan) {
        this.plan = plan;
    }

    /**
     * Streams up to {@code limit} rows in key order after {@code after}. The driver's streaming
     * mode pulls rows from the server as they are consumed instead of buffering the result.
     *
     * @return the number of rows streamed
     */
    long streamByKey(Connection source, Optional<Cursor> after, long limit, RowSink sink) throws SQLException {
        String sql = plan.sourceDialect().selectByKey(plan.source().id(), plan.columns(), plan.source().key(),
                after.isPresent(), limit);
        try (PreparedStatement ps = source.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY)) {
            ps.setFetchSize(Integer.MIN_VALUE);
            bindCursor(ps, 1, plan.keyColumns(), after);
            return drain(ps, sink);
        }
    }

    /**
     * Streams the snapshot's rows in key order from {@code from} to the end of the table, in
     * segments of {@code segmentRows} so that no read view stays open long.
     */
    void snapshotRows(Connection source, Optional<Cursor> from, long segmentRows, RowSink sink) throws SQLException {
        int[] keys = plan.positions(plan.keyColumns());
        byte[][][] last = new byte[1][][];
        Optional<Cursor> after = from;
        long streamed;
        do {
            streamed = streamByKey(source, after, segmentRows, row -> {
                last[0] = row;
                sink.accept(row);
            });
            if (last[0] != null) {
                after = Optional.of(cursorAt(last[0], keys, plan.keyColumns()));
            }
        } while (streamed == segmentRows);
    }

    /**
     * Changed rows after {@code from} up to the window's bound, batch by batch: by {@code (ts, key)}
     * in timestamp mode, by key in id mode. The first query asks for one batch, buffered: a run
     * that finds a few rows or none sends just that. After a full one, each streamed query reads a
     * segment of up to {@code segmentRows} rows, so the source plans and starts a scan once per
     * segment instead of once per batch, and no read view stays open long.
     */
    void changedBatches(Connection source, Optional<Cursor> from, String bound, int batchSize, long segmentRows,
            BatchPrefetcher.Handoff<List<byte[][]>> handoff) throws SQLException {
        List<Column> order = plan.incrementalOrder();
        int[] positions = plan.positions(order);
        List<List<byte[][]>> current = new ArrayList<>(List.of(new ArrayList<>(batchSize)));
        byte[][][] last = new byte[1][][];
        RowSink batching = row -> {
            last[0] = row;
            current.get(0).add(row);
            if (current.get(0).size() == batchSize) {
                handoff.hand(current.get(0));
                current.set(0, new ArrayList<>(batchSize));
            }
        };
        Optional<Cursor> after = from;
        long limit = batchSize;
        boolean stream = false;
        while (true) {
            long read = readChanged(source, after, bound, limit, stream, batching);
            if (last[0] != null) {
                after = Optional.of(cursorAt(last[0], positions, order));
            }
            if (read < limit) {
                break;
            }
            limit = Math.max(segmentRows, batchSize);
            stream = true;
        }
        if (!current.get(0).isEmpty()) {
            handoff.hand(current.get(0));
        }
    }

    /**
     * Up to {@code limit} changed rows after {@code after}, up to {@code bound}: a time in timestamp
     * mode, an id in id mode.
     * Streamed rows are pulled from the server as they are consumed; the driver then also sets the
     * session's write timeout around the query, two statements more.
     */
    private long readChanged(Connection source, Optional<Cursor> after, String bound, long limit, boolean stream,
            RowSink sink) throws SQLException {
        List<Column> order = plan.incrementalOrder();
        boolean timestamp = plan.tracking().mode() == dev.tablesync.schema.Mode.TIMESTAMP;
        String sql = timestamp
                ? plan.sourceDialect().selectChanged(plan.source().id(), plan.columns(),
                        plan.trackingColumnName().orElseThrow(), plan.source().key(),
                        after.map(Cursor::length).orElse(0), limit)
                : plan.sourceDialect().selectNewIds(plan.source().id(), plan.columns(), plan.source().key().get(0),
                        after.isPresent(), limit);
        try (PreparedStatement ps = source.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY)) {
            if (stream) {
                ps.setFetchSize(Integer.MIN_VALUE);
            }
            int next = bindCursor(ps, 1, order, after);
            Values.bind(ps, next, order.get(0), bound.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return drain(ps, sink);
        }
    }

    /** Runs the query and hands every row to {@code sink}; returns how many there were. */
    private long drain(PreparedStatement ps, RowSink sink) throws SQLException {
        long count = 0;
        try (ResultSet rs = ps.executeQuery()) {
            int n = plan.columns().size();
            while (rs.next()) {
                sink.accept(row(rs, n));
                count++;
            }
        }
        return count;
    }

    static Cursor cursorAt(byte[][] row, int[] positions, List<Column> columns) {
        List<byte[]> values = new ArrayList<>(positions.length);
        for (int p : positions) {
            values.add(row[p]);
        }
        return Cursor.at(columns, values);
    }

    /** Binds the keyset predicate's placeholders; returns the next free index. */
    static int bindCursor(PreparedStatement ps, int first, List<Column> order, Optional<Cursor> after)
            throws SQLException {
        if (after.isEmpty()) {
            return first;
        }
        Cursor cursor = after.get();
        int index = first;
        for (int position : dev.tablesync.sql.Dialect.keysetBindOrder(order.size(), cursor.length())) {
            Column column = order.get(position);
            Values.bindBound(ps, index++, column, cursor.raw(position, column));
        }
        return index;
    }

    private static byte[][] row(ResultSet rs, int n) throws SQLException {
        byte[][] row = new byte[n][];
        for (int i = 0; i < n; i++) {
            row[i] = rs.getBytes(i + 1);
        }
        return row;
    }
}
