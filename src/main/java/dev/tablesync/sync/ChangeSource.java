package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

import dev.tablesync.checkpoint.Checkpoint;

/**
 * Where one phase's rows come from: {@link KeysetSnapshot} (the table in key order) or
 * {@link WindowChanges} (rows changed after the cursor, up to the change window's bound). The run
 * loop ({@link Copier}) knows only this: it writes each batch through a {@link Landing} and
 * commits the checkpoint the source says the batch reaches, in the batch's own transaction.
 * A log-based source (binlog) fits the same shape: its batches carry row images, its checkpoint is a
 * log position, and a source transaction larger than one batch answers {@link #after} with empty
 * until its last batch, so the target commits it whole.
 */
interface ChangeSource {

    /**
     * Reads this phase's rows in order on the reader thread and hands them over batch by batch;
     * returns at the end of what this run copies.
     */
    void read(Connection source, BatchPrefetcher.Handoff<Batch> handoff) throws SQLException;

    /**
     * Where the checkpoint stands once {@code batch} is written, to be saved and committed with it;
     * empty while the source's transaction goes on in the next batch. Called on the writing thread.
     */
    Optional<Checkpoint> after(Checkpoint cp, Batch batch, Instant now);

    /** The checkpoint to commit once every batch did (snapshot done, complete up to the bound), if it moves. */
    Optional<Checkpoint> end(Checkpoint cp, Instant now);
}
