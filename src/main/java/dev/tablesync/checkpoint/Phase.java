package dev.tablesync.checkpoint;

/** Where a mapping is in its life. */
public enum Phase {
    /** Copying the table in key order; the cursor is the last committed key. */
    SNAPSHOT,
    /** Copying changes; the cursor is the last committed {@code (timestamp, key)} or id. */
    INCREMENTAL,
    /** Mode full: the last copy finished; the next run copies the table again. */
    COPIED
}
