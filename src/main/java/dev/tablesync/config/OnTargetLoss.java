package dev.tablesync.config;

/**
 * What a run does when the target lost the rows its checkpoint vouches for: the target table was
 * dropped, or is empty while the source still holds rows the checkpoint says were copied.
 */
public enum OnTargetLoss {
    /** Copy the table again from the start (the checkpoint is not trusted any more). */
    RESNAPSHOT,
    /** Fail every run, keeping the checkpoint, until an operator resets or resyncs the mapping. */
    FAIL;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
