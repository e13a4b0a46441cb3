package dev.tablesync.sync;

/**
 * The service is shutting down: the run stopped right after committing a batch, or its connections
 * were aborted at the end of the shutdown timeout and the server rolled back its open batch; either
 * way nothing is lost and the next run resumes from the last committed checkpoint.
 */
public class RunStoppedException extends RuntimeException {

    public RunStoppedException(String message) {
        super(message);
    }

    public RunStoppedException(String message, Throwable cause) {
        super(message, cause);
    }
}
