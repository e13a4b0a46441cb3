package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * How {@link BatchWriter} upserts the rows it keeps: {@link UpsertStatements} (multi-row
 * {@code INSERT ... ON DUPLICATE KEY UPDATE}) or {@link StagedWriter} (a staging table); plain INSERTs into a snapshot's empty key range
 * ({@link UpsertStatements#inserting}). Never commits.
 */
interface Upserts {

    /** @throws Declined when the target did not take the rows exactly (staged writes only) */
    WriteCounts upsert(Connection target, List<byte[][]> rows) throws SQLException, Declined;

    /** What it does, for messages: "upsert", "staged write", "plain insert". */
    String label();

    /**
     * Whether it only inserts and declines a row whose key the target holds: then no target row can
     * conflict with what it writes, and the conflict policy has nothing to check first.
     */
    default boolean insertsOnly() {
        return false;
    }

    /** Leaves nothing on the (pooled) connection; never throws. */
    default void close(Connection target) {
    }
}
