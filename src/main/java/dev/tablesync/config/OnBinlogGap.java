package dev.tablesync.config;

/**
 * What a {@code mode=binlog} mapping does when the position it saved is no longer in the source's binary log
 * (purged, the server replaced, {@code RESET MASTER}): it never skips ahead silently.
 */
public enum OnBinlogGap {
    /** Fail every run (failure reason {@code binlog_gap}, health DOWN) until an operator resets the mapping. */
    FAIL,
    /** Copy the table again (a snapshot from a new position), with a WARN. */
    RESNAPSHOT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
