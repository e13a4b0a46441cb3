package dev.tablesync.schema;

/**
 * The source table changed in a way tablesync does not follow by itself (a column dropped or
 * retyped, the key changed). The mapping stops until someone aligns the target; the message says
 * what changed and how to proceed. Fatal: retrying without a change cannot help.
 */
public class SchemaDriftException extends RuntimeException {

    public SchemaDriftException(String message) {
        super(message);
    }
}
