package dev.tablesync.sync;

import java.util.Optional;

/** How a run of a mapping (sync, verify, reset) ended, as the run history and the API spell it. */
public enum RunStatus {

    SUCCESS("success"),

    /** Another session (another replica) held the mapping's lock; the run did nothing. */
    BUSY("busy"),

    FAILED("failed"),

    /** A scheduled run of a paused mapping: skipped, and never recorded in the run history. */
    PAUSED("paused");

    private final String label;

    RunStatus(String label) {
        this.label = label;
    }

    /** The spelling in the run history, the API and the verify report. */
    public String label() {
        return label;
    }

    /** The status of a run that got its lock and ended with {@code error}, if any. */
    public static RunStatus of(Optional<Throwable> error) {
        return error.isEmpty() ? SUCCESS : error.get() instanceof MappingBusyException ? BUSY : FAILED;
    }

    @Override
    public String toString() {
        return label;
    }
}
