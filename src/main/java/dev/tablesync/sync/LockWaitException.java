package dev.tablesync.sync;

import dev.tablesync.config.Mapping;
import dev.tablesync.sql.SqlErrors;

/**
 * A run waited longer than {@code tablesync.lock-timeout} for a lock another session holds.
 * Transient (its cause is the server's error 1205): the mapping retries with backoff, and the
 * message says which tables it may be and how to find the session holding the lock.
 */
public final class LockWaitException extends RuntimeException {

    private LockWaitException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The error itself, or, when it is a lock wait timeout, one that explains it for this mapping. */
    static Throwable explain(Mapping m, String stateSchema, Throwable error) {
        if (error instanceof LockWaitException || !SqlErrors.isLockWaitTimeout(error)) {
            return error;
        }
        return new LockWaitException("mapping " + m.id() + ": waited longer than tablesync.lock-timeout for a lock"
                + " another session holds: a metadata lock (LOCK TABLES, ALTER TABLE, or an open transaction that"
                + " used the table) or a row lock, on target table " + m.targetTable() + " (connection "
                + m.targetConnection() + "), source table " + m.sourceTable() + " (connection "
                + m.sourceConnection() + ") or the state tables in schema " + stateSchema
                + ". Find the holder with SHOW PROCESSLIST (sessions 'Waiting for table metadata lock' wait for it)"
                + " or in performance_schema.metadata_locks (MySQL) / information_schema.METADATA_LOCK_INFO"
                + " (MariaDB), and end it (UNLOCK TABLES, COMMIT, or KILL its id); the mapping retries with backoff."
                + " Server: " + error.getMessage(), error);
    }
}
