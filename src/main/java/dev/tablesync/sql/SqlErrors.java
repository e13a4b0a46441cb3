package dev.tablesync.sql;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tablesync.schema.SchemaDriftException;

/**
 * Decides, in one place, whether a database error is worth retrying (the connection dropped,
 * a lock timed out, a deadlock) or fatal until someone acts (missing table, access denied,
 * bad data). The scheduler backs off on both but only retries transient ones quickly.
 */
public final class SqlErrors {

    /** MySQL/MariaDB error codes that pass by themselves. */
    private static final Set<Integer> TRANSIENT_CODES = Set.of(
            1040, // too many connections
            1053, // server shutdown in progress
            1077, // normal shutdown
            1152, // aborted connection
            1159, // net read timeout
            1161, // net write timeout
            1205, // lock wait timeout
            1213, // deadlock
            1317, // query interrupted
            1927, // connection killed (MariaDB)
            2002, 2003, 2006, 2013, // cannot connect, server gone away, lost connection
            3024, // max execution time exceeded
            4031); // idle session disconnected (MySQL 8.0.24+)

    /**
     * Codes of a target refusing a value of a row it was given (strict mode): fatal, and worth naming
     * the row's key and the column, since only fixing that value or the column's definition helps.
     */
    private static final Set<Integer> REFUSED_VALUE_CODES = Set.of(
            1048, // column cannot be null
            1263, // NULL supplied to a NOT NULL column
            1264, // out of range value
            1265, // data truncated (an ENUM/SET value not a member, e.g. '' from a non-strict source)
            1292, // incorrect date/time/number value
            1366, // incorrect integer/decimal/string value
            1367, // illegal value
            1406, // data too long
            3140, // invalid JSON text (MySQL)
            3819, // check constraint violated (MySQL)
            4025); // check constraint violated (MariaDB)

    private static final Pattern AT_ROW = Pattern.compile("at row (\\d+)");
    /** {@code column 'e'}, or {@code column `db`.`t`.`e`} as MariaDB names it in some messages. */
    private static final Pattern COLUMN = Pattern.compile(
            "(?i)column (?:'([^']*)'|(?:`[^`]*`\\.)*`([^`]*)`)");

    /** A statement waited longer than the session's lock_wait_timeout or innodb_lock_wait_timeout. */
    private static final int LOCK_WAIT_TIMEOUT = 1205;

    private SqlErrors() {
    }

    /** ER_NO_SUCH_TABLE: a statement named a table that does not exist (yet, or any more). */
    public static boolean isNoSuchTable(SQLException e) {
        return e.getErrorCode() == 1146;
    }

    public static boolean isTransient(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof BinlogGapException) {
                return false; // whatever it was caused by (the server's error 1236 is an IOException)
            }
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException e && isTransientSql(e)) {
                return true;
            }
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the error, or one of its causes, is a lock wait that timed out: a metadata lock (held by
     * {@code LOCK TABLES}, {@code ALTER TABLE} or an open transaction that used the table) or a row
     * lock held by another session. Transient: it passes when that session ends.
     */
    public static boolean isLockWaitTimeout(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException e && e.getErrorCode() == LOCK_WAIT_TIMEOUT) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTransientSql(SQLException e) {
        String state = e.getSQLState();
        if (state != null && (state.startsWith("08") || state.equals("40001") || state.equals("HY000")
                && TRANSIENT_CODES.contains(e.getErrorCode()))) {
            return true;
        }
        return TRANSIENT_CODES.contains(e.getErrorCode());
    }

    /** The target refused a value of a row (see {@link #REFUSED_VALUE_CODES}): the error names no key. */
    public static boolean isRefusedValue(SQLException e) {
        return REFUSED_VALUE_CODES.contains(e.getErrorCode());
    }

    /** The 1-based row of a multi-row statement that a refusal names ({@code at row 5}), if it names one. */
    public static OptionalInt refusedRow(SQLException e) {
        Matcher m = AT_ROW.matcher(String.valueOf(e.getMessage()));
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /** The column a refusal names, if it names one. */
    public static Optional<String> refusedColumn(SQLException e) {
        Matcher m = COLUMN.matcher(String.valueOf(e.getMessage()));
        return m.find() ? Optional.of(m.group(1) != null ? m.group(1) : m.group(2))
                : Optional.empty();
    }

    /** Why a run failed, for metrics, the API and health: see {@link FailureReason}. */
    public static FailureReason category(Throwable error) {
        if (error instanceof SchemaDriftException) {
            return FailureReason.SCHEMA_DRIFT;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof BinlogGapException) {
                return FailureReason.BINLOG_GAP;
            }
        }
        return isTransient(error) ? FailureReason.TRANSIENT : FailureReason.FATAL;
    }
}
