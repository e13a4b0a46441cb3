package dev.tablesync.config;

/** What the writer does with a row that already exists in the target. */
public enum ConflictPolicy {
    /** The source row replaces the target row. */
    OVERWRITE,
    /** The existing target row is kept. */
    SKIP,
    /** The source row replaces the target row only when its tracking timestamp is newer. */
    NEWER_WINS,
    /** A target row with different content fails the run, naming its key. */
    ERROR,
    /**
     * A target row with different content that the last sync did not write is left as it is; the
     * source row is parked in the state schema for a person to resolve, and the run goes on.
     */
    PARK;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
