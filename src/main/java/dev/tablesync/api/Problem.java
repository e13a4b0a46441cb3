package dev.tablesync.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An RFC 7807 problem: what went wrong and what to do about it. Registered for reflection because
 * it travels inside a {@code Response} built by the exception mappers, where Quarkus cannot see
 * the entity type at build time.
 */
@RegisterForReflection
@Schema(name = "Problem", description = "RFC 7807 problem details (application/problem+json)")
public record Problem(
        @Schema(description = "identifies the kind of problem", example = "urn:tablesync:problem:mapping-busy")
        String type,
        @Schema(description = "short summary of the kind of problem", example = "Mapping is running")
        String title,
        @Schema(description = "HTTP status code", example = "409")
        int status,
        @Schema(description = "what happened here and what to do", example = "mapping orders is already running;"
                + " wait for it to finish")
        String detail,
        @Schema(description = "the request path", example = "/api/mappings/orders/runs")
        String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** Problems without a tablesync-specific meaning: RFC 7807 says to use about:blank with the status phrase. */
    public static final String GENERIC = "about:blank";

    static String type(String slug) {
        return "urn:tablesync:problem:" + slug;
    }
}
