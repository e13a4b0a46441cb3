package dev.tablesync.sync;

import dev.tablesync.checkpoint.Checkpoint;

/** Hears each committed batch: progress logging, metrics, and tests that crash a run midway. */
public interface RunObserver {

    RunObserver NONE = new RunObserver() {
    };

    /** Called right after the target committed a batch and its checkpoint. */
    default void batchCommitted(Checkpoint checkpoint, WriteCounts batch) {
    }
}
