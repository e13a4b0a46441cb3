package dev.tablesync.sync;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.ToLongFunction;

import dev.tablesync.schema.Column;
import dev.tablesync.schema.ValueKind;
import dev.tablesync.sql.SqlErrors;
import dev.tablesync.sql.Values;

/**
 * Upserts rows with multi-row {@code INSERT ... ON DUPLICATE KEY UPDATE} statements under the
 * mapping's conflict policy, split so that none exceeds the target's packet limit. A value the
 * target refuses stops the run naming that row's key. Never declines, never commits.
 */
final class UpsertStatements implements Upserts {

    private final SyncPlan plan;
    private final long maxStatementBytes;
    private final RowKeys keys;
    private final WriteOutcome outcome;
    /** Each column's kind, resolved once: binding asks it for every value. */
    private final ValueKind[] kinds;
    private final Map<Integer, String> upserts = new HashMap<>();

    UpsertStatements(SyncPlan plan, long maxStatementBytes, RowKeys keys) {
        this.plan = plan;
        this.maxStatementBytes = maxStatementBytes;
        this.keys = keys;
        this.outcome = new WriteOutcome(plan, keys);
        this.kinds = plan.columns().stream().map(Column::kind).toArray(ValueKind[]::new);
    }

    @Override
    public String label() {
        return "upsert";
    }

    @Override
    public WriteCounts upsert(Connection target, List<byte[][]> rows) throws SQLException {
        WriteCounts counts = WriteCounts.NONE;
        int from = 0;
        while (from < rows.size()) {
            int to = chunkEnd(rows, from, UpsertStatements::size, maxStatementBytes);
            counts = counts.plus(upsertChunk(target, rows.subList(from, to)));
            from = to;
        }
        return counts;
    }

    /** Where the statement that starts at {@code from} ends: at least one row, else up to {@code max} bytes. */
    static int chunkEnd(List<byte[][]> rows, int from, ToLongFunction<byte[][]> size, long max) {
        long bytes = 0;
        int i = from;
        while (i < rows.size()) {
            bytes += size.applyAsLong(rows.get(i));
            if (bytes > max && i > from) {
                break;
            }
            i++;
        }
        return i;
    }

    private static long size(byte[][] row) {
        long bytes = 0;
        for (byte[] v : row) {
            bytes += (v == null ? 4 : v.length * 2L) + RowKeys.BYTES_PER_VALUE_OVERHEAD;
        }
        return bytes;
    }

    /** Upserts one statement's rows; a value the target refuses stops the run naming that row's key. */
    private WriteCounts upsertChunk(Connection target, List<byte[][]> rows) throws SQLException {
        try {
            return statement(target, rows);
        } catch (SQLException e) {
            if (!SqlErrors.isRefusedValue(e)) {
                throw e;
            }
            throw refused(e, refusedRow(target, rows, e));
        }
    }

    /**
     * The row whose value the target refused: the one the server names ({@code at row N}), else the
     * first that a statement of its own is refused for. Those statements run in the failing batch's
     * transaction, which the caller rolls back with its checkpoint.
     */
    private byte[][] refusedRow(Connection target, List<byte[][]> rows, SQLException e) throws SQLException {
        OptionalInt at = SqlErrors.refusedRow(e);
        if (at.isPresent() && at.getAsInt() >= 1 && at.getAsInt() <= rows.size()) {
            return rows.get(at.getAsInt() - 1);
        }
        for (int i = 0; rows.size() > 1 && i < rows.size(); i++) {
            try {
                statement(target, rows.subList(i, i + 1));
            } catch (SQLException one) {
                if (SqlErrors.isRefusedValue(one)) {
                    return rows.get(i);
                }
                throw one;
            }
        }
        return rows.get(0);
    }

    private MappingException refused(SQLException e, byte[][] row) {
        Optional<String> column = SqlErrors.refusedColumn(e);
        String value = column.flatMap(c -> plan.columns().stream().filter(k -> k.name().equals(c)).findFirst())
                .map(c -> ", source value " + shown(c, row[plan.columns().indexOf(c)])).orElse("");
        return new MappingException("mapping " + plan.mapping().id() + ": target " + plan.target().id()
                + " refused the row with key " + keys.describe(row)
                + column.map(c -> " in column " + c + value).orElse("") + ": " + e.getMessage()
                + ". Fix the value on the source (a non-strict source stores values a strict target refuses),"
                + " or align the target column's definition with the source's; nothing of this batch was written",
                e);
    }

    private static String shown(Column column, byte[] value) {
        if (value == null) {
            return "NULL";
        }
        String text = column.kind() == dev.tablesync.schema.ValueKind.BYTES ? "0x" + HexFormat.of().formatHex(value)
                : "'" + new String(value, StandardCharsets.UTF_8) + "'";
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    private WriteCounts statement(Connection target, List<byte[][]> rows) throws SQLException {
        String sql = upserts.computeIfAbsent(rows.size(), n -> plan.targetDialect().writes().upsert(plan.target().id(),
                plan.columns(), plan.source().key(), plan.mapping().conflict(), plan.trackingColumnName(), n));
        try (PreparedStatement ps = target.prepareStatement(sql)) {
            int index = 1;
            for (byte[][] row : rows) {
                for (int c = 0; c < row.length; c++) {
                    Values.bind(ps, index++, kinds[c], row[c]);
                }
            }
            return outcome.counts(ps, rows, ps.executeLargeUpdate());
        }
    }
}
