package dev.tablesync.sql;

/**
 * Why a run failed, as {@link SqlErrors#category} decides it: the value of the {@code reason} tag
 * of {@code tablesync_run_failures_total} and of {@code lastErrorCategory} in the API and health.
 */
public enum FailureReason {

    /** The error passes by itself (lost connection, lock wait timeout, deadlock): retried soon. */
    TRANSIENT("transient"),

    /** Someone has to act (missing table, access denied, bad data, a row conflict). */
    FATAL("fatal"),

    /**
     * The source table changed in a way the target does not follow by itself (a column dropped or
     * retyped, the key changed): fatal too, until someone aligns the target.
     */
    SCHEMA_DRIFT("schema_drift"),

    /**
     * A binlog mapping's position is no longer on its source (logs purged, the server replaced, {@code RESET
     * MASTER}): the changes in between are lost to the stream, so the mapping stops until it is copied again
     * ({@code on-binlog-gap=resnapshot}, or a reset). Fatal too.
     */
    BINLOG_GAP("binlog_gap");

    private final String label;

    FailureReason(String label) {
        this.label = label;
    }

    /** The spelling metrics, the API and health show. */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
