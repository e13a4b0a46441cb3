package dev.tablesync.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The answer to a verify request: the verify has started in the background under this id. */
@RegisterForReflection
@Schema(name = "TriggeredVerify")
public record TriggeredVerify(
        @Schema(description = "id of the run; its run-history entry carries it as runId once the verify has finished")
        String runId,
        String mappingId,
        @Schema(description = "true when differences are repaired from the source") boolean repair) {
}
