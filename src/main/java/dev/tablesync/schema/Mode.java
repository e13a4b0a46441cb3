package dev.tablesync.schema;

/** How a mapping finds the rows to copy. */
public enum Mode {
    /** Detect: a timestamp column, else an auto-increment key, else {@link #FULL}. */
    AUTO,
    /** Rows whose tracking timestamp moved past the checkpoint's {@code (timestamp, key)}. */
    TIMESTAMP,
    /** Rows whose auto-increment key is above the checkpoint (append-only tables). */
    ID,
    /** The whole table on every run. */
    FULL,
    /**
     * A snapshot, then every change as the source's binary log carries it (inserts, updates, deletes), applied
     * exactly once with the log position; only when configured, never chosen by {@link #AUTO}.
     */
    BINLOG;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
