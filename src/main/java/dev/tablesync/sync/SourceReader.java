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
 * Runs a read on the source and hands its rows over as the server's raw text/bytes, one
 * {@code byte[]} per column in {@link SyncPlan#columns()} order. A streamed read pulls rows from
 * the server as they are consumed, so memory holds one batch at a time whatever the table size.
 * Both change sources read through it.
 */
final class SourceReader {

    /** Receives streamed rows; may write them to the target as it goes. */
    interface RowSink {
        void accept(byte[][] row) throws SQLException;
    }

    /** Binds a read's placeholders. */
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private SourceReader() {
    }

    /**
     * Runs {@code sql} and hands every row of {@code columns} columns to {@code sink}. Streamed,
     * the driver also sets the session's write timeout around the query, two statements more.
     *
     * @return the number of rows read
     */
    static long read(Connection source, String sql, int columns, boolean stream, Binder binder, RowSink sink)
            throws SQLException {
        try (PreparedStatement ps = source.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY)) {
            if (stream) {
                ps.setFetchSize(Integer.MIN_VALUE);
            }
            binder.bind(ps);
            long count = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.accept(row(rs, columns));
                    count++;
                }
            }
            return count;
        }
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
