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
 */
public record RunResult(String mappingId, Instant startedAt, Duration duration, String kind, String tracking,
        long rowsRead, WriteCounts counts, Optional<Checkpoint> checkpoint, Optional<Throwable> error) {

    public boolean succeeded() {
        return error.isEmpty();
    }

    /** One line for logs and run-once output; never contains credentials. */
    public String summary() {
        String outcome = error.map(e -> "FAILED " + e.getMessage()).orElse("ok");
        return String.format("mapping=%s %s mode=%s run=%s read=%d written=%d inserted=%d updated=%d unchanged=%d"
                + " duration=%.3fs checkpoint=%s", mappingId, outcome, tracking, kind, rowsRead, counts.written(),
                counts.inserted(), counts.updated(), counts.unchanged(), duration.toNanos() / 1e9,
                checkpoint.map(Checkpoint::describe).orElse("none"));
    }
}
