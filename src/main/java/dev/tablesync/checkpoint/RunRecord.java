package dev.tablesync.checkpoint;

import java.time.Instant;
import java.util.Optional;

/**
 * One finished run of a mapping, as kept in the run history on the target.
 *
 * @param runKey the id the API returned when the run was triggered
 */
public record RunRecord(long id, Optional<String> runKey, String mappingId, Instant startedAt, Instant finishedAt, String kind, String status,
        long rowsRead, long inserted, long updated, long unchanged, Optional<String> error,
        Optional<String> checkpoint) {
}
