package dev.tablesync.sync;

import java.util.Optional;

/**
 * Why a run happens. Scheduled runs respect a pause; a run an operator triggers does not.
 *
 * @param fullResync copy the whole table again, ignoring the checkpoint
 * @param runKey     the id the API handed out for this run, kept in the run history
 * @param catchUp    mode binlog: apply the log up to the source's position at the run's start, then end (a
 *                   trigger, run-once); otherwise the run is an apply session that follows the log until pause,
 *                   shutdown, failure or its time is up
 */
public record RunRequest(boolean fullResync, boolean manual, Optional<String> runKey, boolean catchUp) {

    public RunRequest(boolean fullResync, boolean manual, Optional<String> runKey) {
        this(fullResync, manual, runKey, manual);
    }

    public static RunRequest scheduled() {
        return new RunRequest(false, false, Optional.empty(), false);
    }

    public static RunRequest manual(boolean fullResync, String runKey) {
        return new RunRequest(fullResync, true, Optional.of(runKey), true);
    }

    /** A run of {@code tablesync.run-once}: respects a pause, and a binlog mapping catches up and ends. */
    public static RunRequest once() {
        return new RunRequest(false, false, Optional.empty(), true);
    }
}
