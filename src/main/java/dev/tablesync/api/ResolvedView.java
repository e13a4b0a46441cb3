package dev.tablesync.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What a resolve request did. */
@RegisterForReflection
@Schema(name = "Resolved")
public record ResolvedView(
        String mapping,
        @Schema(description = "take-source, keep-target or recheck") String action,
        @Schema(description = "conflicts resolved and removed from the park") int resolved,
        @Schema(description = "ids of conflicts left parked because the target row changed since it was parked"
                + " (or, for recheck, still differs from the source); resolve them one by one") List<Long> refused,
        @Schema(description = "rows still parked") long parked) {
}
