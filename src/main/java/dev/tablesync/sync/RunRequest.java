package dev.tablesync.sync;

import java.util.Optional;

/**
 * Why a run happens. Scheduled runs respect a pause; a run an operator triggers does not.
 *
 * @param fullResync copy the whole table again, ignoring the checkpoint
 * @param runKey     the id the API handed out for this run, kept in the run history
 */
public record RunRequest(boolean fullResync, boolean manual, Optional<String> runKey) {

    public static RunRequest scheduled() {
        return new RunRequest(false, false, Optional.empty());
    }

    public static RunRequest manual(boolean fullResync, String runKey) {
        return new RunRequest(fullResync, true, Optional.of(runKey));
    }
}
