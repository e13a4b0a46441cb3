package dev.tablesync.conflict;

/** No parked row of the mapping has that id (never parked, or resolved already). */
public class UnknownConflictException extends RuntimeException {

    public UnknownConflictException(String message) {
        super(message);
    }
}
