package dev.tablesync.sync;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import dev.tablesync.schema.Column;
import dev.tablesync.sql.Values;

/** The key values of a batch's rows: bound to statements, compared, and named in error messages. */
final class RowKeys {

    /** Escaping and placeholders' quoting can double a value's size on the wire. */
    static final int BYTES_PER_VALUE_OVERHEAD = 4;

    private final List<Column> keys;
    private final int[] positions;

    RowKeys(SyncPlan plan) {
        this.keys = plan.keyColumns();
        this.positions = plan.positions(keys);
    }

    /** Bytes the row's key takes in a statement, at most. */
    long size(byte[][] row) {
        long bytes = 0;
        for (int p : positions) {
            bytes += (row[p] == null ? 4 : row[p].length * 2L) + BYTES_PER_VALUE_OVERHEAD;
        }
        return bytes;
    }

    /** Binds every row's key, row after row, from placeholder 1. */
    void bind(PreparedStatement ps, List<byte[][]> rows) throws SQLException {
        int index = 1;
        for (byte[][] row : rows) {
            for (int k = 0; k < positions.length; k++) {
                Values.bindKey(ps, index++, keys.get(k), row[positions[k]]);
            }
        }
    }

    /** The key as exact text, to match rows by key. */
    String text(byte[][] row) {
        StringBuilder key = new StringBuilder();
        for (int p : positions) {
            key.append(row[p] == null ? "-" : HexFormat.of().formatHex(row[p])).append('/');
        }
        return key.toString();
    }

    /** The key as a message shows it: {@code (id=7, region=eu)}. */
    String describe(byte[][] row) {
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < positions.length; k++) {
            byte[] v = row[positions[k]];
            parts.add(keys.get(k).name() + "=" + (v == null ? "NULL" : new String(v, StandardCharsets.UTF_8)));
        }
        return "(" + String.join(", ", parts) + ")";
    }
}
