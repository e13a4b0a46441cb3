package dev.tablesync.config;

/** What a row flagged as deleted on the source (its soft-delete column set) does to the target. */
public enum DeleteMode {
    /** The flag is copied like any other column; the row stays in the target. */
    COPY,
    /** The row is deleted from the target, in the transaction that saves the batch's checkpoint. */
    HARD;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
