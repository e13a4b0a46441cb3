package dev.tablesync.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A page of a mapping's run history, newest first. */
@RegisterForReflection
@Schema(name = "RunPage")
public record RunPage(
        String mappingId,
        int limit,
        int offset,
        List<RunView> runs,
        @Schema(description = "path of the next page; null when this page is the last") String next) {
}
