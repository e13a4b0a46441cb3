package dev.tablesync.conflict;

import java.time.Instant;
import java.util.Optional;

/**
 * One parked conflict: the key, the newest source image the sync could not write, the target
 * image it met (empty when the target row was gone by then), when, and the checkpoint it met.
 */
public record ParkedRow(long id, RowImage key, RowImage source, Optional<RowImage> target, Instant parkedAt,
        String checkpoint) {
}
