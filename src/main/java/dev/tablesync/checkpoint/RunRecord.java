package dev.tablesync.checkpoint;

import java.time.Instant;
import java.util.Optional;

/**
 * One finished run of a mapping, as kept in the run history on the target.
 *
 * @param runKey  the id the API returned when the run was triggered
 * @param deleted target rows deleted because the source marked them deleted (delete-mode hard)
 */
public record RunRecord(long id, Optional<String> runKey, String mappingId, Instant startedAt, Instant finishedAt, String kind, String status,
        long rowsRead, long inserted, long updated, long unchanged, long deleted, Optional<String> error,
        Optional<String> checkpoint) {

    /** A run that deleted nothing. */
    public RunRecord(long id, Optional<String> runKey, String mappingId, Instant startedAt, Instant finishedAt,
            String kind, String status, long rowsRead, long inserted, long updated, long unchanged,
            Optional<String> error, Optional<String> checkpoint) {
        this(id, runKey, mappingId, startedAt, finishedAt, kind, status, rowsRead, inserted, updated, unchanged, 0,
                error, checkpoint);
    }
}
