package dev.tablesync.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The answer to a run request: the run has started in the background under this id. */
@RegisterForReflection
@Schema(name = "TriggeredRun")
public record TriggeredRun(
        @Schema(description = "id of the run; its run-history entry carries it as runId once the run has finished")
        String runId,
        String mappingId,
        @Schema(description = "true when the run copies the whole table again, ignoring the checkpoint")
        boolean full) {
}
