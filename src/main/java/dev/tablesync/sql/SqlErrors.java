package dev.tablesync.sql;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

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

    /** The {@link #category} of a run stopped by schema drift. */
    public static final String SCHEMA_DRIFT = "schema_drift";

    private SqlErrors() {
    }

    /** ER_NO_SUCH_TABLE: a statement named a table that does not exist (yet, or any more). */
    public static boolean isNoSuchTable(SQLException e) {
        return e.getErrorCode() == 1146;
    }

    public static boolean isTransient(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
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

    private static boolean isTransientSql(SQLException e) {
        String state = e.getSQLState();
        if (state != null && (state.startsWith("08") || state.equals("40001") || state.equals("HY000")
                && TRANSIENT_CODES.contains(e.getErrorCode()))) {
            return true;
        }
        return TRANSIENT_CODES.contains(e.getErrorCode());
    }

    /**
     * A short reason for metrics and logs: {@code transient}, {@code fatal}, or {@code schema_drift}
     * (fatal too: the source table changed and the target must be aligned by someone).
     */
    public static String category(Throwable error) {
        if (error instanceof SchemaDriftException) {
            return SCHEMA_DRIFT;
        }
        return isTransient(error) ? "transient" : "fatal";
    }
}
