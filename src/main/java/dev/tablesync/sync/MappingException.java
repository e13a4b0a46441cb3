package dev.tablesync.sync;

/**
 * A problem with a mapping that retrying will not fix (missing table, no key, incompatible
 * target, a conflict under policy {@code error}). The message names the table and the fix.
 */
public class MappingException extends RuntimeException {

    public MappingException(String message) {
        super(message);
    }

    public MappingException(String message, Throwable cause) {
        super(message, cause);
    }
}
