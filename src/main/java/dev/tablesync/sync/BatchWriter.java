package dev.tablesync.sync;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import dev.tablesync.config.ConflictPolicy;
import dev.tablesync.schema.Column;
import dev.tablesync.sql.SqlErrors;
import dev.tablesync.sql.Values;

/**
 * Writes a batch into the target with multi-row upserts under the mapping's conflict policy;
 * under delete-mode hard, rows the source marked deleted are deleted by key instead. Statements
 * are split so none exceeds the target's packet limit. It never commits: the caller commits the
 * rows together with their checkpoint.
 */
public final class BatchWriter {

    private static final Logger LOG = Logger.getLogger(BatchWriter.class);
    private static final Pattern DUPLICATES = Pattern.compile("Duplicates:\\s*(\\d+)");
    /** Data truncated, out of range, incorrect value, data too long: a value not stored as sent. */
    private static final java.util.Set<Integer> TRUNCATION_CODES = java.util.Set.of(1264, 1265, 1292, 1366, 1406);
    private static final Pattern TRUNCATED_ROW = Pattern.compile("column '(.*)' at row (\\d+)");
    /** Escaping and placeholders' quoting can double a value's size on the wire. */
    private static final int BYTES_PER_VALUE_OVERHEAD = 4;

    private final SyncPlan plan;
    private final long maxStatementBytes;
    private final Map<Integer, String> upserts = new HashMap<>();
    private final Map<Integer, String> deletes = new HashMap<>();
    private final int[] keyPositions;
    private final int flagPosition;

    public BatchWriter(SyncPlan plan, long maxStatementBytes) {
        this.plan = plan;
        this.maxStatementBytes = maxStatementBytes;
        this.keyPositions = plan.positions(plan.keyColumns());
        this.flagPosition = plan.hardDeletes() ? plan.positions(List.of(plan.softDelete().column().orElseThrow()))[0]
                : -1;
    }

    /** Writes rows that are to be kept, under the conflict policy; the policy {@code error} was checked already. */
    interface Upserts {
        WriteCounts write(Connection target, List<byte[][]> rows) throws SQLException;
    }

    public WriteCounts write(Connection target, List<byte[][]> rows) throws SQLException {
        return write(target, rows, this::upsertChunks);
    }

    /** As {@link #write(Connection, List)}, with the kept rows written by {@code upserts}. */
    WriteCounts write(Connection target, List<byte[][]> rows, Upserts upserts) throws SQLException {
        if (!plan.hardDeletes()) {
            return upsertAll(target, rows, upserts);
        }
        List<byte[][]> live = new ArrayList<>(rows.size());
        List<byte[][]> flagged = new ArrayList<>();
        for (byte[][] row : rows) {
            (plan.softDelete().marksDeleted(row[flagPosition]) ? flagged : live).add(row);
        }
        // Same transaction as the upserts and the checkpoint: the caller commits all or nothing.
        WriteCounts deleted = deleteAll(target, flagged);
        return deleted.plus(upsertAll(target, live, upserts));
    }

    private WriteCounts upsertAll(Connection target, List<byte[][]> rows, Upserts upserts) throws SQLException {
        if (rows.isEmpty()) {
            return WriteCounts.NONE;
        }
        if (plan.mapping().conflict() == ConflictPolicy.ERROR) {
            refuseConflicts(target, rows);
        }
        return upserts.write(target, rows);
    }

    private WriteCounts upsertChunks(Connection target, List<byte[][]> rows) throws SQLException {
        WriteCounts counts = WriteCounts.NONE;
        int from = 0;
        while (from < rows.size()) {
            int to = chunkEnd(rows, from, BatchWriter::size);
            counts = counts.plus(upsert(target, rows.subList(from, to)));
            from = to;
        }
        return counts;
    }

    /** Deletes the target rows of source rows marked deleted; rows the target never had count nothing. */
    private WriteCounts deleteAll(Connection target, List<byte[][]> rows) throws SQLException {
        long deleted = 0;
        int from = 0;
        while (from < rows.size()) {
            int to = chunkEnd(rows, from, this::keySize);
            List<byte[][]> chunk = rows.subList(from, to);
            String sql = deletes.computeIfAbsent(chunk.size(), n -> plan.targetDialect().deleteByKey(plan.target().id(),
                    plan.source().key(), n));
            try (PreparedStatement ps = target.prepareStatement(sql)) {
                bindKeys(ps, chunk);
                deleted += ps.executeLargeUpdate();
            }
            from = to;
        }
        return WriteCounts.deletions(deleted);
    }

    private long keySize(byte[][] row) {
        long bytes = 0;
        for (int p : keyPositions) {
            bytes += (row[p] == null ? 4 : row[p].length * 2L) + BYTES_PER_VALUE_OVERHEAD;
        }
        return bytes;
    }

    private void bindKeys(PreparedStatement ps, List<byte[][]> rows) throws SQLException {
        int index = 1;
        List<Column> keys = plan.keyColumns();
        for (byte[][] row : rows) {
            for (int k = 0; k < keyPositions.length; k++) {
                Values.bindKey(ps, index++, keys.get(k), row[keyPositions[k]]);
            }
        }
    }

    private int chunkEnd(List<byte[][]> rows, int from, java.util.function.ToLongFunction<byte[][]> size) {
        long bytes = 0;
        int i = from;
        while (i < rows.size()) {
            bytes += size.applyAsLong(rows.get(i));
            if (bytes > maxStatementBytes && i > from) {
                break;
            }
            i++;
        }
        return i;
    }

    private static long size(byte[][] row) {
        long bytes = 0;
        for (byte[] v : row) {
            bytes += (v == null ? 4 : v.length * 2L) + BYTES_PER_VALUE_OVERHEAD;
        }
        return bytes;
    }

    /** Upserts one statement's rows; a value the target refuses stops the run naming that row's key. */
    private WriteCounts upsert(Connection target, List<byte[][]> rows) throws SQLException {
        try {
            return upsertStatement(target, rows);
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
                upsertStatement(target, rows.subList(i, i + 1));
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
                + " refused the row with key " + describeKey(row)
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

    private WriteCounts upsertStatement(Connection target, List<byte[][]> rows) throws SQLException {
        String sql = upserts.computeIfAbsent(rows.size(), n -> plan.targetDialect().upsert(plan.target().id(),
                plan.columns(), plan.source().key(), plan.mapping().conflict(), plan.trackingColumnName(), n));
        List<Column> columns = plan.columns();
        try (PreparedStatement ps = target.prepareStatement(sql)) {
            int index = 1;
            for (byte[][] row : rows) {
                for (int c = 0; c < row.length; c++) {
                    Values.bind(ps, index++, columns.get(c), row[c]);
                }
            }
            long affected = ps.executeLargeUpdate();
            refuseTruncation(ps.getWarnings(), rows);
            return WriteCounts.fromAffected(rows.size(), affected, duplicates(ps));
        }
    }

    /** The server's info line, e.g. {@code Records: 3  Duplicates: 1  Warnings: 0}. */
    static long duplicates(Statement st) throws SQLException {
        String info = st.unwrap(com.mysql.cj.jdbc.JdbcStatement.class).getResultSetInternal().getServerInfo();
        Matcher m = info == null ? null : DUPLICATES.matcher(info);
        return m != null && m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /**
     * A value the target changed on the way in, with only a warning: strict mode lets some through
     * (fractional seconds rounded, a DATETIME cut to a DATE). The checkpoint must not vouch for it:
     * the batch fails, naming the row's key and the column. Other warnings are logged.
     *
     * @param rows the statement's rows, in the order the server numbers them from 1
     */
    void refuseTruncation(SQLWarning warning, List<byte[][]> rows) {
        for (SQLWarning w = warning; w != null; w = w.getNextWarning()) {
            Matcher m = TRUNCATED_ROW.matcher(String.valueOf(w.getMessage()));
            if (TRUNCATION_CODES.contains(w.getErrorCode()) && m.find()) {
                int row = Integer.parseInt(m.group(2));
                String key = row >= 1 && row <= rows.size() ? describeKey(rows.get(row - 1)) : "at row " + row;
                throw new MappingException("mapping " + plan.mapping().id() + ": target " + plan.target().id()
                        + " changed the value of column " + m.group(1) + " of row " + key + " on write ("
                        + w.getMessage() + "), so its column cannot hold the source's values unchanged; give it the"
                        + " source's definition (ALTER TABLE " + plan.target().id() + " MODIFY " + m.group(1)
                        + " ...), then resume the mapping");
            }
            LOG.warnf("Mapping %s: target %s warned: %s", plan.mapping().id(), plan.target().id(), w.getMessage());
        }
    }

    /** Policy {@code error}: a target row with the same key and other content stops the run. */
    private void refuseConflicts(Connection target, List<byte[][]> rows) throws SQLException {
        Map<String, byte[][]> incoming = new HashMap<>();
        rows.forEach(r -> incoming.put(keyText(r), r));
        String sql = plan.targetDialect().selectExisting(plan.target().id(), plan.columns(), plan.source().key(),
                rows.size());
        try (PreparedStatement ps = target.prepareStatement(sql)) {
            bindKeys(ps, rows);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    compare(rs, incoming);
                }
            }
        }
    }

    private void compare(ResultSet rs, Map<String, byte[][]> incoming) throws SQLException {
        int n = plan.columns().size();
        byte[][] existing = new byte[n][];
        for (int i = 0; i < n; i++) {
            existing[i] = rs.getBytes(i + 1);
        }
        byte[][] source = incoming.get(keyText(existing));
        List<String> differing = new ArrayList<>();
        for (int i = 0; source != null && i < n; i++) {
            if (!Arrays.equals(existing[i], source[i])) {
                differing.add(plan.columns().get(i).name());
            }
        }
        if (!differing.isEmpty()) {
            throw new RowConflictException("mapping " + plan.mapping().id() + ": row " + describeKey(source)
                    + " already exists in target " + plan.target().id() + " with different " + differing
                    + "; conflict policy 'error' stops here. Fix or delete the target row, or choose conflict"
                    + " overwrite, skip or newer-wins");
        }
    }

    private String keyText(byte[][] row) {
        StringBuilder key = new StringBuilder();
        for (int p : keyPositions) {
            key.append(row[p] == null ? "-" : HexFormat.of().formatHex(row[p])).append('/');
        }
        return key.toString();
    }

    String describeKey(byte[][] row) {
        List<String> parts = new ArrayList<>();
        List<Column> keys = plan.keyColumns();
        for (int k = 0; k < keyPositions.length; k++) {
            byte[] v = row[keyPositions[k]];
            parts.add(keys.get(k).name() + "=" + (v == null ? "NULL" : new String(v, StandardCharsets.UTF_8)));
        }
        return "(" + String.join(", ", parts) + ")";
    }
}
