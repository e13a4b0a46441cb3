package dev.tablesync.conflict;

import java.util.Optional;

/**
 * A resolution refused because the target row is not what the person decided on: it changed since
 * it was parked, or (re-check) it still differs from the source. Carries the row as it is now.
 */
public class TargetChangedException extends RuntimeException {

    private final transient Optional<RowImage> current;

    public TargetChangedException(String message, Optional<RowImage> current) {
        super(message);
        this.current = current;
    }

    /** The target row now; empty when it is gone. */
    public Optional<RowImage> current() {
        return current;
    }
}
