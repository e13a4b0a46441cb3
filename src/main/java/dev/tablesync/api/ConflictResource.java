package dev.tablesync.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import dev.tablesync.conflict.ParkedConflicts;
import dev.tablesync.conflict.Resolution;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Rows parked by conflict policy park: list them, resolve them, see who resolved what. Their problems
 * (unknown conflict 404, changed target 409, park unavailable 503) are mapped in {@link ProblemMappers},
 * so the console shows the same ones.
 */
@Path("/api/mappings/{id}/conflicts")
@Tag(name = "Conflicts", description = "Rows parked by conflict policy park, and their resolution by a person")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.VIEWER, Roles.OPERATOR })
public class ConflictResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    @Inject
    ParkedConflicts conflicts;

    @Inject
    SecurityIdentity identity;

    @GET
    @Operation(summary = "List parked conflicts, oldest first",
            description = "Each with its key, the newest source image, the target row as it was parked (null when"
                    + " the target had none), when, and the checkpoint the run was at. Cells are {\"text\": …} or, for"
                    + " binary columns, {\"hex\": …}; a SQL NULL is null.")
    @APIResponse(responseCode = "200", description = "The parked conflicts", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConflictListView.class)))
    @APIResponse(responseCode = "404", description = "No such mapping", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ConflictListView list(@RestPath String id,
            @Parameter(description = "conflicts to list", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + MAX_LIMIT, defaultValue = "" + DEFAULT_LIMIT)) @RestQuery String limit) {
        return ConflictListView.of(conflicts.list(id, RunResource.parseInt("limit", limit, DEFAULT_LIMIT, 1,
                MAX_LIMIT)));
    }

    @POST
    @Path("{conflictId}/resolve")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Resolve one parked conflict",
            description = "In one target transaction with the removal of the parked row and a history entry:"
                    + " take-source writes the parked source image; keep-target keeps the target row and lets the sync"
                    + " overwrite it at the next source change; recheck removes the conflict only if source and"
                    + " target now agree. Refused with 409 and the target row as it is now when it changed since it"
                    + " was parked (recheck: when it still differs).")
    @APIResponse(responseCode = "200", description = "Resolved", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ResolvedView.class)))
    @APIResponse(responseCode = "400", description = "No or unknown action", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "The user lacks role operator", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such mapping or conflict", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The target row changed since it was parked", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = ChangedTargetProblem.class)))
    public ResolvedView resolve(@RestPath String id, @RestPath String conflictId, ResolveRequest body) {
        Resolution.Action action = action(body);
        conflicts.resolve(id, conflictId(conflictId), action, who());
        return new ResolvedView(id, action.label(), 1, List.of(), conflicts.parked(id).orElse(0));
    }

    @POST
    @Path("resolve")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Resolve every parked conflict of the mapping the same way",
            description = "Each row in a transaction of its own, up to " + ParkedConflicts.RESOLVE_ALL_LIMIT
                    + " rows; rows whose target changed since they were parked (recheck: that still differ) stay"
                    + " parked and are listed in refused.")
    @APIResponse(responseCode = "200", description = "Resolved", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ResolvedView.class)))
    public ResolvedView resolveAll(@RestPath String id, ResolveRequest body) {
        Resolution.Action action = action(body);
        ParkedConflicts.Outcome outcome = conflicts.resolveAll(id, action, who());
        return new ResolvedView(id, action.label(), outcome.resolved(), outcome.refused(),
                conflicts.parked(id).orElse(0));
    }

    @GET
    @Path("history")
    @Operation(summary = "Resolved conflicts, newest first: who, when, how, which key")
    public List<ResolutionView> history(@RestPath String id, @RestQuery String limit) {
        return conflicts.history(id, RunResource.parseInt("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT)).stream()
                .map(ResolutionView::of).toList();
    }

    private String who() {
        return identity.getPrincipal().getName();
    }

    private static Resolution.Action action(ResolveRequest body) {
        String label = body == null ? null : body.action();
        return Resolution.Action.of(label).orElseThrow(() -> ApiProblemException.badParameter("action: expected"
                + " take-source, keep-target or recheck, got " + (label == null ? "none" : "'" + label + "'")
                + "; send {\"action\":\"take-source\"}"));
    }

    private static long conflictId(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ApiProblemException(404, "unknown-conflict", "Unknown conflict", "no conflict '" + text
                    + "'; conflict ids are numbers, listed by GET /api/mappings/{id}/conflicts");
        }
    }
}
