package dev.tablesync.sync;

/** What a run did, as the run history, the API and the log spell it. */
public enum RunKind {

    /** Nothing got started: the run failed, or found the mapping busy, before choosing what to do. */
    NONE("none"),

    /** A scheduled run that found its mapping paused and did nothing (never recorded). */
    PAUSED("paused"),

    SNAPSHOT("snapshot"),

    /** A snapshot because the target lost rows its checkpoint vouched for. */
    RESNAPSHOT("resnapshot"),

    /** Mode full: the whole table on every run. */
    FULL("full"),

    INCREMENTAL("incremental"),

    SNAPSHOT_INCREMENTAL("snapshot+incremental"),

    RESNAPSHOT_INCREMENTAL("resnapshot+incremental"),

    /** Mode binlog: an apply session, following the source's log. */
    BINLOG("binlog"),

    SNAPSHOT_BINLOG("snapshot+binlog"),

    RESNAPSHOT_BINLOG("resnapshot+binlog"),

    VERIFY("verify"),

    VERIFY_REPAIR("verify+repair");

    private final String label;

    RunKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** This kind followed by an incremental phase in the same run. */
    public RunKind thenIncremental() {
        return switch (this) {
            case SNAPSHOT -> SNAPSHOT_INCREMENTAL;
            case RESNAPSHOT -> RESNAPSHOT_INCREMENTAL;
            case NONE, INCREMENTAL -> INCREMENTAL;
            default -> throw new IllegalStateException("a " + label + " run has no incremental phase");
        };
    }

    /** This kind followed by applying the binlog in the same run. */
    public RunKind thenBinlog() {
        return switch (this) {
            case SNAPSHOT -> SNAPSHOT_BINLOG;
            case RESNAPSHOT -> RESNAPSHOT_BINLOG;
            case NONE, BINLOG, INCREMENTAL -> BINLOG; // INCREMENTAL: the last copy of a switch to binlog
            default -> throw new IllegalStateException("a " + label + " run does not apply the binlog");
        };
    }

    /** Whether a run-history kind is a verify's, with or without repair. */
    public static boolean isVerify(String label) {
        return VERIFY.label.equals(label) || VERIFY_REPAIR.label.equals(label);
    }

    @Override
    public String toString() {
        return label;
    }
}
