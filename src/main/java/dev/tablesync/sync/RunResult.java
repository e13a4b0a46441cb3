package dev.tablesync.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.tablesync.checkpoint.Checkpoint;

/**
 * The outcome of one run of one mapping.
 *
 * @param kind     what the run did: {@code snapshot}, {@code incremental}, {@code snapshot+incremental}, {@code full}
 * @param tracking how changes were found, e.g. {@code timestamp(updated_at)}
 * @param trackingReason why that way, e.g. {@code detected timestamp column updated_at}
 */
public record RunResult(String mappingId, Instant startedAt, Duration duration, String kind, String tracking,
        long rowsRead, WriteCounts counts, Optional<Checkpoint> checkpoint, Optional<Throwable> error,
        String trackingReason) {

    /** Leads a warning appended to the tracking reason, which health shows as {@code trackingWarning}. */
    public static final String WARNING = "; WARNING: ";

    /** The kind of a scheduled run that found its mapping paused and did nothing. */
    public static final String PAUSED = RunKind.PAUSED.label();

    public boolean skippedBecausePaused() {
        return PAUSED.equals(kind);
    }

    RunResult withError(Throwable e) {
        return new RunResult(mappingId, startedAt, duration, kind, tracking, rowsRead, counts, checkpoint,
                Optional.of(e), trackingReason);
    }

    public boolean succeeded() {
        return error.isEmpty();
    }

    /**
     * {@code ok}, {@code busy} (another run or replica held the mapping: nothing was done), {@code stopped} (shutdown
     * ended it after a commit, or rolled back its open batch: nothing lost) or {@code failed}.
     */
    String statusWord() {
        if (error.isEmpty()) {
            return "ok";
        }
        Throwable e = error.get();
        return e instanceof MappingBusyException ? "busy" : e instanceof RunStoppedException ? "stopped" : "failed";
    }

    /** One line for logs and run-once output; never contains credentials. */
    public String summary() {
        return String.format("mapping=%s status=%s mode=%s run=%s read=%d written=%d inserted=%d updated=%d"
                + " unchanged=%d%s duration=%.3fs checkpoint=%s%s", mappingId, statusWord(),
                tracking, kind, rowsRead, counts.written(), counts.inserted(), counts.updated(), counts.unchanged(),
                (counts.deleted() > 0 ? " deleted=" + counts.deleted() : "")
                        + (counts.parked() > 0 ? " parked=" + counts.parked() : ""),
                duration.toNanos() / 1e9, checkpoint.map(Checkpoint::describe).orElse("none"),
                error.map(e -> " error=\"" + e.getMessage() + "\"").orElse(""));
    }
}
