package dev.tablesync.sync;

/** Conflict policy {@code error}: a target row with the same key holds other values. Names the key. */
public class RowConflictException extends MappingException {

    public RowConflictException(String message) {
        super(message);
    }
}
