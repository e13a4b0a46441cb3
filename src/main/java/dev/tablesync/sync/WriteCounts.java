package dev.tablesync.sync;

/**
 * What a write did to the target. {@code unchanged} counts rows that existed and were left as
 * they were: identical, or kept by the skip and newer-wins policies.
 */
public record WriteCounts(long inserted, long updated, long unchanged) {

    public static final WriteCounts NONE = new WriteCounts(0, 0, 0);

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

    private WriteCounts plusUnknown(long rows) {
        return new WriteCounts(inserted, updated + rows, unchanged);
    }

    public WriteCounts plus(WriteCounts other) {
        return new WriteCounts(inserted + other.inserted, updated + other.updated, unchanged + other.unchanged);
    }

    public long written() {
        return inserted + updated;
    }

    public long total() {
        return inserted + updated + unchanged;
    }
}
