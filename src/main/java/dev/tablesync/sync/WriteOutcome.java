package dev.tablesync.sync;

import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

/**
 * What the target did with an upsert, multi-row or staged: the counts its affected rows and info
 * line give, and no value changed on the way in.
 */
final class WriteOutcome {

    private static final Logger LOG = Logger.getLogger(WriteOutcome.class);
    private static final Pattern DUPLICATES = Pattern.compile("Duplicates:\\s*(\\d+)");
    /** Data truncated, out of range, incorrect value, data too long: a value not stored as sent. */
    private static final java.util.Set<Integer> TRUNCATION_CODES = java.util.Set.of(1264, 1265, 1292, 1366, 1406);
    private static final Pattern TRUNCATED_ROW = Pattern.compile("column '(.*)' at row (\\d+)");

    private final SyncPlan plan;
    private final RowKeys keys;

    WriteOutcome(SyncPlan plan, RowKeys keys) {
        this.plan = plan;
        this.keys = keys;
    }

    /**
     * The counts of the upsert {@code st} just ran, once its warnings show no value changed.
     *
     * @param rows the statement's rows, in the order the server numbers them from 1
     */
    WriteCounts counts(Statement st, List<byte[][]> rows, long affected) throws SQLException {
        refuseTruncation(st.getWarnings(), rows);
        return WriteCounts.fromAffected(rows.size(), affected, duplicates(st));
    }

    /** The server's info line, e.g. {@code Records: 3  Duplicates: 1  Warnings: 0}. */
    private static long duplicates(Statement st) throws SQLException {
        String info = st.unwrap(com.mysql.cj.jdbc.JdbcStatement.class).getResultSetInternal().getServerInfo();
        Matcher m = info == null ? null : DUPLICATES.matcher(info);
        return m != null && m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /**
     * A value the target changed on the way in, with only a warning: strict mode lets some through
     * (fractional seconds rounded, a DATETIME cut to a DATE). The checkpoint must not vouch for it:
     * the batch fails, naming the row's key and the column. Other warnings are logged.
     */
    private void refuseTruncation(SQLWarning warning, List<byte[][]> rows) {
        for (SQLWarning w = warning; w != null; w = w.getNextWarning()) {
            Matcher m = TRUNCATED_ROW.matcher(String.valueOf(w.getMessage()));
            if (TRUNCATION_CODES.contains(w.getErrorCode()) && m.find()) {
                int row = Integer.parseInt(m.group(2));
                String key = row >= 1 && row <= rows.size() ? keys.describe(rows.get(row - 1)) : "at row " + row;
                throw new MappingException("mapping " + plan.mapping().id() + ": target " + plan.target().id()
                        + " changed the value of column " + m.group(1) + " of row " + key + " on write ("
                        + w.getMessage() + "), so its column cannot hold the source's values unchanged; give it the"
                        + " source's definition (ALTER TABLE " + plan.target().id() + " MODIFY " + m.group(1)
                        + " ...), then resume the mapping");
            }
            LOG.warnf("Mapping %s: target %s warned: %s", plan.mapping().id(), plan.target().id(), w.getMessage());
        }
    }
}
