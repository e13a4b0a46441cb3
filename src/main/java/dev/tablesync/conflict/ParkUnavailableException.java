package dev.tablesync.conflict;

/** The target's state store could not be read or written; nothing was changed. */
public class ParkUnavailableException extends RuntimeException {

    public ParkUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
