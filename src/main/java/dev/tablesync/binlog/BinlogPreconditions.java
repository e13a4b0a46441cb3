package dev.tablesync.binlog;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.tablesync.sql.BinlogDialect;

/**
 * What a source server must offer before a mapping may follow its binary log, checked at start-up so that a
 * missing setting or privilege is named with its fix instead of surfacing later from the replication protocol as
 * an unreadable error. Each message names the connection, the mapping, the value found and the fix.
 */
public final class BinlogPreconditions {

    private final BinlogDialect dialect;
    private final String connectionName;

    public BinlogPreconditions(BinlogDialect dialect, String connectionName) {
        this.dialect = dialect;
        this.connectionName = connectionName;
    }

    /**
     * Every unmet precondition for mapping {@code mappingId}, whose {@code max-lag} is {@code maxLag}; empty when
     * the mapping may follow the log.
     */
    public List<String> problems(Connection source, String mappingId, Duration maxLag) throws SQLException {
        String where = "source connection '" + connectionName + "' of mapping '" + mappingId + "'";
        List<String> problems = new ArrayList<>();
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery(dialect.settings())) {
            rs.next();
            if (!"1".equals(rs.getString(1)) && !"ON".equalsIgnoreCase(rs.getString(1))) {
                return List.of("The binary log is off on " + where + " (log_bin=OFF), and mode=binlog reads it:"
                        + " start the server with log_bin (--log-bin, and a --server-id) and binlog_format=ROW"
                        + " (a restart), or use mode=timestamp for this mapping.");
            }
            setting(problems, where, "binlog_format", rs.getString(2), "ROW", "'ROW'",
                    " Sessions already connected keep writing their old format until they reconnect.");
            setting(problems, where, "binlog_row_image", rs.getString(3), "FULL", "'FULL'",
                    " Updates and deletes must carry every column to be applied as whole rows.");
            retention(problems, where, mappingId, rs.getLong(5), maxLag);
            compression(problems, where, mappingId, rs.getString(7));
        }
        privileges(problems, where, source);
        return problems;
    }

    /** @throws IllegalStateException listing every unmet precondition */
    public void require(Connection source, String mappingId, Duration maxLag) throws SQLException {
        List<String> problems = problems(source, mappingId, maxLag);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("\n", problems));
        }
    }

    private void setting(List<String> problems, String where, String variable, String found, String wanted,
            String literal, String why) {
        if (!wanted.equalsIgnoreCase(found)) {
            problems.add(variable + " is " + found + " on " + where + "; binlog capture needs " + wanted + ": "
                    + dialect.setGlobal(variable, literal) + "." + why);
        }
    }

    private void retention(List<String> problems, String where, String mappingId, long seconds, Duration maxLag) {
        if (seconds <= 0 || seconds >= maxLag.toSeconds()) {
            return; // 0: the server never expires its logs on its own
        }
        String variable = dialect.retentionVariable();
        long wanted = maxLag.toSeconds();
        String value = variable.equals("expire_logs_days") ? String.valueOf((wanted + 86399) / 86400)
                : String.valueOf(wanted);
        problems.add("The binary log on " + where + " is kept " + Duration.ofSeconds(seconds).toString().substring(2)
                .toLowerCase(Locale.ROOT) + " (" + variable + "), less than the mapping's max-lag "
                + maxLag.toString().substring(2).toLowerCase(Locale.ROOT) + ": a mapping that falls that far behind"
                + " finds its position purged and must copy the table again. Keep it longer ("
                + dialect.setGlobal(variable, value) + ") or lower tablesync.mappings." + mappingId + ".max-lag.");
    }

    /**
     * MySQL 8.0.20+ can write each transaction as one zstd-compressed payload, which the binlog library cannot
     * decode without zstd-jni (left out of the build). The global value is what new sessions start with; a session
     * that turns it on for itself is refused when its payload is read.
     */
    private void compression(List<String> problems, String where, String mappingId, String found) {
        if ("1".equals(found) || "ON".equalsIgnoreCase(found)) {
            problems.add("binlog_transaction_compression is ON on " + where + ": the source writes each transaction"
                    + " as one compressed payload, which tablesync.mappings." + mappingId + ".mode=binlog cannot read."
                    + " Turn it off: " + dialect.setGlobal("binlog_transaction_compression", "OFF")
                    + " (or SET GLOBAL binlog_transaction_compression = OFF and binlog_transaction_compression=OFF in"
                    + " my.cnf). Sessions already connected keep compressing until they reconnect.");
        }
    }

    private void privileges(List<String> problems, String where, Connection source) throws SQLException {
        Set<String> granted = new HashSet<>();
        String user;
        try (Statement s = source.createStatement()) {
            try (ResultSet rs = s.executeQuery(BinlogDialect.GRANTED_PRIVILEGES)) {
                while (rs.next()) {
                    granted.add(rs.getString(1).toUpperCase(Locale.ROOT));
                }
            }
            try (ResultSet rs = s.executeQuery(BinlogDialect.CURRENT_USER)) {
                rs.next();
                user = rs.getString(1);
            }
        }
        List<String> missing = dialect.requiredPrivileges().stream().filter(p -> !granted.contains(p)).toList();
        if (!missing.isEmpty()) {
            problems.add("User " + user + " lacks " + String.join(" and ", missing) + " on " + where
                    + "; binlog capture needs " + String.join(" and ", dialect.requiredPrivileges())
                    + " (granted directly, not through a role): " + dialect.grant(missing, user) + ".");
        }
    }
}
