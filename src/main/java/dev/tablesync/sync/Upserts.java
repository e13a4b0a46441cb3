package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * How {@link BatchWriter} upserts the rows it keeps: {@link UpsertStatements} (multi-row
 * {@code INSERT ... ON DUPLICATE KEY UPDATE}) or {@link StagedWriter} (a staging table). Never commits.
 */
interface Upserts {

    /** @throws Declined when the target did not take the rows exactly (staged writes only) */
    WriteCounts upsert(Connection target, List<byte[][]> rows) throws SQLException, Declined;

    /** What it does, for messages: "upsert", "staged write". */
    String label();

    /** Leaves nothing on the (pooled) connection; never throws. */
    default void close(Connection target) {
    }
}
