package dev.tablesync.sql;

/**
 * A binlog mapping's saved position is no longer on its source: the log files holding the changes after it were
 * purged, or the server was replaced or reset ({@code RESET MASTER}) and never wrote the transactions the mapping
 * applied. The stream never skips ahead: the mapping stops with this ({@link FailureReason#BINLOG_GAP}) until it is
 * copied again. It lives here, beside {@link SqlErrors}, which files it under that reason.
 */
public final class BinlogGapException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String position;
    private final String oldestAvailable;

    /**
     * @param message         the whole text: the position, the oldest available one, why, and the fix
     * @param position        the mapping's position, as it prints
     * @param oldestAvailable the oldest position the server still has, as it prints
     */
    public BinlogGapException(String message, String position, String oldestAvailable, Throwable cause) {
        super(message, cause);
        this.position = position;
        this.oldestAvailable = oldestAvailable;
    }

    public String position() {
        return position;
    }

    public String oldestAvailable() {
        return oldestAvailable;
    }
}
