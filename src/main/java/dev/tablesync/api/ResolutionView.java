package dev.tablesync.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.tablesync.conflict.Resolution;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** One resolved conflict from the history. */
@RegisterForReflection
@Schema(name = "Resolution")
public record ResolutionView(
        long id,
        @Schema(description = "the id the conflict had while parked") long conflictId,
        @Schema(description = "the row's key, column by column") Map<String, String> key,
        @Schema(description = "take-source, keep-target or recheck") String action,
        @Schema(description = "the authenticated user who resolved it") String resolvedBy,
        Instant resolvedAt) {

    static ResolutionView of(Resolution r) {
        Map<String, String> key = new LinkedHashMap<>();
        for (int i = 0; i < r.key().columns().size(); i++) {
            byte[] v = r.key().values().get(i);
            key.put(r.key().columns().get(i), v == null ? null : ConflictView.cell(java.util.Optional.empty(), v).text());
        }
        return new ResolutionView(r.id(), r.conflictId(), key, r.action().label(), r.resolvedBy(), r.resolvedAt());
    }
}
