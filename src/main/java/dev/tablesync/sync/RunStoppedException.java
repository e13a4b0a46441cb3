package dev.tablesync.sync;

/** The service is shutting down: the run stopped right after committing a batch, losing nothing. */
public class RunStoppedException extends RuntimeException {

    public RunStoppedException(String message) {
        super(message);
    }
}
