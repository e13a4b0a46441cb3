package dev.tablesync.metrics;

import java.util.List;

/**
 * Every metric tablesync publishes, by the name Prometheus shows at {@code /q/metrics} on the
 * management port. The names are already in Prometheus form (snake case, unit and {@code _total}
 * suffixes), so Micrometer's Prometheus naming convention leaves them as they are.
 *
 * <p>Per-mapping metrics carry the tag {@value #MAPPING}; pool metrics the tag {@value #CONNECTION}.
 * No metric carries a JDBC URL, a user or a password: only mapping ids and connection names.
 */
public final class Metrics {

    /** Tag naming the mapping, e.g. {@code mapping="orders"}. */
    public static final String MAPPING = "mapping";

    /** Tag naming the connection (pool), e.g. {@code connection="warehouse"}. */
    public static final String CONNECTION = "connection";

    /**
     * Tag on {@link #RUN_FAILURES}: a {@link dev.tablesync.sql.FailureReason}'s label, {@code transient},
     * {@code fatal} or {@code schema_drift}.
     */
    public static final String REASON = "reason";

    /**
     * Gauge, seconds: now minus the source time up to which the target is known complete. It does
     * not grow while an idle source is polled successfully (each run moves that time forward), so a
     * rising line means the mapping is failing, paused or slower than its source. NaN until the
     * first successful run in this process.
     */
    public static final String CHECKPOINT_LAG = "tablesync_checkpoint_lag_seconds";

    /** Counter: rows read from the source. */
    public static final String ROWS_READ = "tablesync_rows_read_total";

    /** Counter: rows inserted or changed in the target. */
    public static final String ROWS_WRITTEN = "tablesync_rows_written_total";

    /** Counter: target rows deleted because the source marked them deleted (delete-mode hard). */
    public static final String ROWS_DELETED = "tablesync_rows_deleted_total";

    /**
     * Counter: rows left as they were in the target by conflict policy {@code skip} or
     * {@code newer-wins}. Always 0 under {@code overwrite} and {@code error}.
     */
    public static final String ROWS_SKIPPED = "tablesync_rows_skipped_total";

    /**
     * Counter: runs stopped by a conflicting target row under conflict policy {@code error}
     * (one per run: the run stops at the first conflict), and rows parked under {@code park}
     * (one per parked source change, a newer change of a parked row included).
     */
    public static final String ROWS_CONFLICTED = "tablesync_rows_conflicted_total";

    /**
     * Histogram, seconds: how long runs took, failed ones included. Not recorded for runs skipped
     * because the mapping was paused or held by another replica.
     */
    public static final String RUN_DURATION = "tablesync_run_duration_seconds";

    /**
     * Counter: failed runs by {@value #REASON}. Not counted: runs skipped because another replica
     * holds the mapping, runs stopped by shutdown, and paused skips.
     */
    public static final String RUN_FAILURES = "tablesync_run_failures_total";

    /** Gauge, Unix time in seconds: when the last successful run ended. NaN before the first one in this process. */
    public static final String LAST_SUCCESS = "tablesync_last_success_timestamp_seconds";

    /** Gauge: 1 while the mapping is paused (on every replica), else 0. */
    public static final String PAUSED = "tablesync_mapping_paused";

    /** Gauge: 1 while this process runs the mapping, else 0. */
    public static final String RUNNING = "tablesync_mapping_running";

    /** Gauge: connections of the pool lent out now. */
    public static final String POOL_ACTIVE = "tablesync_pool_active_connections";

    /** Gauge: idle connections of the pool, ready to be lent. */
    public static final String POOL_AVAILABLE = "tablesync_pool_available_connections";

    /** Gauge: threads waiting for a connection of the pool; above 0 for long means the pool is too small. */
    public static final String POOL_AWAITING = "tablesync_pool_awaiting_threads";

    /** Gauge: the most connections the pool may open ({@code tablesync.connections.<name>.max-pool-size}). */
    public static final String POOL_MAX = "tablesync_pool_max_connections";

    /**
     * Gauge: rows that differed (missing + extra + different) when the last verify of the mapping
     * compared the tables, repaired or not. NaN before the first verify.
     */
    public static final String VERIFY_MISMATCHED_ROWS = "tablesync_verify_mismatched_rows";

    /** Gauge: differences the last verify left on the target (0 after a successful repair). NaN before the first verify. */
    public static final String VERIFY_UNREPAIRED_ROWS = "tablesync_verify_unrepaired_rows";

    /** Gauge, Unix time in seconds: when the last verify of the mapping ended. NaN before the first one. */
    public static final String LAST_VERIFY = "tablesync_last_verify_timestamp_seconds";

    /** Gauge: rows parked by conflict policy {@code park} now, waiting for a person (0 under other policies). */
    public static final String CONFLICTS_PARKED = "tablesync_conflicts_parked";

    /**
     * Tag naming a binlog stream's source server as {@code host:port} (one stream per source server per
     * process, shared by every binlog mapping on it), e.g. {@code source="db-1:3306"}.
     */
    public static final String SOURCE = "source";

    /** Gauge: 1 while the binlog stream of the source is connected and reading, else 0 (reconnecting, or failed). */
    public static final String BINLOG_STREAM_CONNECTED = "tablesync_binlog_stream_connected";

    /** Counter: binlog events the stream received (rows events, commits, heartbeats …); its rate is events/s. */
    public static final String BINLOG_EVENTS = "tablesync_binlog_events_received_total";

    /**
     * Gauge, bytes: the source's binlog end (read once a second) minus where the stream has read, counting every
     * file in between whole; NaN while it cannot be told (not connected, or the stream's file is not listed).
     */
    public static final String BINLOG_BYTES_BEHIND = "tablesync_binlog_bytes_behind";

    /** Counter: connections of the stream opened again after one was lost. */
    public static final String BINLOG_RECONNECTS = "tablesync_binlog_reconnects_total";

    /** The metrics tagged {@value #SOURCE}. */
    public static final List<String> PER_SOURCE = List.of(BINLOG_STREAM_CONNECTED, BINLOG_EVENTS,
            BINLOG_BYTES_BEHIND, BINLOG_RECONNECTS);

    /** The metrics tagged {@value #MAPPING}. */
    public static final List<String> PER_MAPPING = List.of(CHECKPOINT_LAG, ROWS_READ, ROWS_WRITTEN, ROWS_SKIPPED,
            ROWS_CONFLICTED, RUN_DURATION, RUN_FAILURES, LAST_SUCCESS, PAUSED, RUNNING, ROWS_DELETED,
            VERIFY_MISMATCHED_ROWS, VERIFY_UNREPAIRED_ROWS, LAST_VERIFY, CONFLICTS_PARKED);

    /** The metrics tagged {@value #CONNECTION}. */
    public static final List<String> PER_CONNECTION = List.of(POOL_ACTIVE, POOL_AVAILABLE, POOL_AWAITING, POOL_MAX);

    private Metrics() {
    }
}
