package dev.tablesync.sync;

/**
 * What a write did to the target. {@code unchanged} counts rows that existed and were left as
 * they were: identical, or kept by the skip and newer-wins policies. {@code deleted} counts
 * target rows deleted because the source marked them deleted (delete-mode hard). {@code parked}
 * counts rows not written because conflict policy park parked them.
 */
public record WriteCounts(long inserted, long updated, long unchanged, long deleted, long parked) {

    public static final WriteCounts NONE = new WriteCounts(0, 0, 0, 0, 0);

    public WriteCounts(long inserted, long updated, long unchanged, long deleted) {
        this(inserted, updated, unchanged, deleted, 0);
    }

    /** Counts of upserts only. */
    public WriteCounts(long inserted, long updated, long unchanged) {
        this(inserted, updated, unchanged, 0);
    }

    /**
     * From the server's answer to a multi-row upsert: affected rows count 1 per insert and 2 per
     * changed row; the info line's "Duplicates" counts the changed rows.
     */
    public static WriteCounts fromAffected(int rows, long affected, long duplicates) {
        long inserted = affected - 2 * duplicates;
        if (inserted < 0 || inserted + duplicates > rows) {
            return new WriteCounts(0, 0, 0).plusUnknown(rows);
        }
        return new WriteCounts(inserted, duplicates, rows - inserted - duplicates);
    }

    public static WriteCounts deletions(long rows) {
        return new WriteCounts(0, 0, 0, rows);
    }

    public static WriteCounts parked(long rows) {
        return new WriteCounts(0, 0, 0, 0, rows);
    }

    private WriteCounts plusUnknown(long rows) {
        return new WriteCounts(inserted, updated + rows, unchanged, deleted, parked);
    }

    public WriteCounts plus(WriteCounts other) {
        return new WriteCounts(inserted + other.inserted, updated + other.updated, unchanged + other.unchanged,
                deleted + other.deleted, parked + other.parked);
    }

    /** Rows inserted or changed; deletions are counted apart. */
    public long written() {
        return inserted + updated;
    }

    /** Rows upserted, whatever the outcome; deletions are counted apart. */
    public long total() {
        return inserted + updated + unchanged;
    }
}
