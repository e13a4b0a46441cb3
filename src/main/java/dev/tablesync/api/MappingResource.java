package dev.tablesync.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
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

import dev.tablesync.schedule.MappingScheduler;
import dev.tablesync.sync.MappingStatus;
import dev.tablesync.sync.SyncEngine;
import io.quarkus.security.identity.SecurityIdentity;

/** Mappings and their state; pause, resume and reset. Runs live in {@link RunResource}. */
@Path("/api/mappings")
@Tag(name = "Mappings", description = "Configured mappings, their state, pause, resume and reset")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.VIEWER, Roles.OPERATOR })
@APIResponse(responseCode = "401", description = "No or wrong credentials", content = @Content(
        mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class MappingResource {

    @Inject
    SyncEngine engine;

    @Inject
    MappingScheduler scheduler;

    @Inject
    SecurityIdentity identity;

    @Inject
    Redactor redactor;

    @GET
    @Operation(summary = "List every mapping with its state",
            description = "Which mapping is behind and why: lag, last run, last error, backoff, paused, next run")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = MappingView.class)))
    public List<MappingView> list() {
        return engine.statuses().stream().map(this::view).toList();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One mapping with its state")
    @APIResponse(responseCode = "200", description = "The mapping")
    @APIResponse(responseCode = "404", description = "No such mapping; the detail lists the known ones",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public MappingView get(@Parameter(description = "mapping id", example = "orders") @RestPath String id) {
        return view(engine.status(id));
    }

    @POST
    @Path("{id}/pause")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Pause scheduled runs",
            description = "Persisted in the target's state schema: survives restarts and applies to every replica."
                    + " A run in progress finishes; runs triggered by POST .../runs still happen.")
    @APIResponse(responseCode = "200", description = "The mapping, now paused")
    @APIResponse(responseCode = "403", description = "The user lacks role operator", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such mapping", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The target's state store is unreachable; nothing changed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public MappingView pause(@RestPath String id) {
        engine.setPaused(id, true, identity.getPrincipal().getName());
        return view(engine.status(id));
    }

    @POST
    @Path("{id}/resume")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Resume scheduled runs", description = "Persisted like pause; the next tick runs.")
    @APIResponse(responseCode = "200", description = "The mapping, no longer paused")
    @APIResponse(responseCode = "403", description = "The user lacks role operator", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such mapping", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The target's state store is unreachable; nothing changed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public MappingView resume(@RestPath String id) {
        engine.setPaused(id, false, identity.getPrincipal().getName());
        return view(engine.status(id));
    }

    /*
     * A POST action rather than DELETE .../checkpoint: it sits with pause and resume, and answers with
     * the mapping, so the caller sees the phase gone without a second request.
     */
    @POST
    @Path("{id}/reset")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Delete the checkpoint",
            description = "The next run copies the whole table again (a snapshot). Refused while the mapping runs,"
                    + " here or on another replica.")
    @APIResponse(responseCode = "200", description = "The mapping, without checkpoint")
    @APIResponse(responseCode = "403", description = "The user lacks role operator", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such mapping", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The mapping is running; retry when it has finished",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The target's state store is unreachable; nothing changed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public MappingView reset(@RestPath String id) {
        engine.reset(id);
        return view(engine.status(id));
    }

    private MappingView view(MappingStatus status) {
        return MappingView.of(status, scheduler.nextRun(status.mapping().id()), redactor);
    }
}
