package dev.tablesync.conflict;

import java.util.Optional;

/**
 * A resolution refused because the target row is not what the person decided on: it changed since
 * it was parked, or (re-check) it still differs from the source. Carries the row as it is now.
 */
public class TargetChangedException extends RuntimeException {

    private final transient Optional<RowImage> current;
    private final transient java.util.Set<String> binary;

    /** @param binary the target's binary columns, which show as hex */
    public TargetChangedException(String message, Optional<RowImage> current, java.util.Set<String> binary) {
        super(message);
        this.current = current;
        this.binary = java.util.Set.copyOf(binary);
    }

    /** The names of the target's binary columns. */
    public java.util.Set<String> binary() {
        return binary;
    }

    /** The target row now; empty when it is gone. */
    public Optional<RowImage> current() {
        return current;
    }
}
