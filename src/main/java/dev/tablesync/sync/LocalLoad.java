package dev.tablesync.sync;

import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.mysql.cj.conf.PropertyKey;
import com.mysql.cj.conf.RuntimeProperty;
import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.jdbc.JdbcStatement;

import dev.tablesync.sql.WriteSql;
import dev.tablesync.sql.Dialect;
import dev.tablesync.sql.TabText;

/**
 * One {@code LOAD DATA LOCAL} statement fed from memory, for the snapshot's bulk load and the
 * incremental staging table alike. The driver may read a client file only while our own stream is
 * set, so a server can never make it read one. Such a load turns conversion errors into warnings,
 * so it counts only if the server took exactly our rows: no warning, skip or deletion.
 */
final class LocalLoad {

    private static final Pattern INFO = Pattern.compile("Records:\\s*(\\d+)\\s+Deleted:\\s*(\\d+)\\s+"
            + "Skipped:\\s*(\\d+)\\s+Warnings:\\s*(\\d+)");

    private LocalLoad() {
    }

    /** Whether the target server accepts local loads at all ({@code local_infile}). */
    static boolean enabled(Connection target) throws SQLException {
        try (Statement st = target.createStatement(); ResultSet rs = st.executeQuery(WriteSql.LOCAL_INFILE)) {
            return rs.next() && rs.getInt(1) == 1;
        }
    }

    /**
     * Runs {@code sql} (a {@link Dialect#loadData} statement) on {@code text}'s rows, without committing.
     *
     * @return empty when the server inserted exactly those rows; otherwise its info line, and the
     *         caller must roll back
     */
    static Optional<String> run(Connection target, Statement st, String sql, TabText text) throws SQLException {
        RuntimeProperty<Boolean> allow = target.unwrap(JdbcConnection.class).getPropertySet()
                .getBooleanProperty(PropertyKey.allowLoadLocalInfile);
        JdbcStatement statement = st.unwrap(JdbcStatement.class);
        allow.setValue(true);
        try {
            statement.setLocalInfileInputStream(new ByteArrayInputStream(text.bytes(), 0, text.length()));
            long affected = st.executeLargeUpdate(sql);
            String info = statement.getResultSetInternal().getServerInfo();
            return exact(affected, info, text.rows()) ? Optional.empty() : Optional.of(String.valueOf(info));
        } finally {
            allow.setValue(false);
            statement.setLocalInfileInputStream(null);
        }
    }

    private static boolean exact(long affected, String info, int rows) {
        Matcher m = info == null ? null : INFO.matcher(info);
        return affected == rows && m != null && m.find() && Long.parseLong(m.group(1)) == rows
                && m.group(2).equals("0") && m.group(3).equals("0") && m.group(4).equals("0");
    }
}
