package dev.tablesync.sync;

/** The mapping is already running, here or on another replica (its target lock is held). */
public class MappingBusyException extends RuntimeException {

    public MappingBusyException(String message) {
        super(message);
    }
}
