package dev.tablesync.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of a resolve request. */
@RegisterForReflection
@Schema(name = "ResolveRequest")
public record ResolveRequest(
        @Schema(description = "take-source: write the parked source image to the target; keep-target: keep the"
                + " target row and let the sync own it again; recheck: remove the conflict only if source and target"
                + " now agree", enumeration = {"take-source", "keep-target", "recheck"}, required = true)
        String action) {
}
