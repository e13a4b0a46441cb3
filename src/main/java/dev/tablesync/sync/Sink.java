package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How a batch lands on the target: {@link BatchWriter} (upserts, as multi-row statements or
 * through a staging table) or {@link BulkLoader} (a snapshot's still-empty key range). A sink never
 * commits: the run commits the rows with their checkpoint. {@link Landing} picks one per phase and
 * holds the one rule for a sink that declines a batch.
 */
interface Sink {

    /**
     * Writes the batch without committing.
     *
     * @throws Declined when the target did not take the batch exactly (or refused it as a whole);
     *                  nothing of it may be kept: the caller rolls back and writes it another way
     */
    WriteCounts write(Connection target, Batch batch) throws SQLException, Declined;

    /** Whether it writes the batch's text: the reader then formats rows for it as they arrive. */
    default boolean takesText() {
        return false;
    }

    /** What it does, for the one message when it declines: "bulk load", "staged write". */
    String label();

    /** Leaves nothing on the (pooled) connection; never throws. */
    default void close(Connection target) {
    }
}
