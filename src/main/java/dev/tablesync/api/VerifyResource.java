package dev.tablesync.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import dev.tablesync.sync.SyncEngine;
import dev.tablesync.verify.VerifyService;

/** Verify a mapping's target against its source, and optionally repair it. */
@Path("/api/mappings/{id}/verify")
@Tag(name = "Verify", description = "Compare target and source by chunked checksums; repair the differences")
@Produces(MediaType.APPLICATION_JSON)
public class VerifyResource {

    @Inject
    VerifyService verify;

    @Inject
    SyncEngine engine;

    @POST
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Verify the mapping now",
            description = "Starts a verify in the background and returns its id at once. Both servers compute"
                    + " checksums of key ranges; differing ranges are compared key by key. With repair=true each"
                    + " differing key is read again from the source and upserted, and target rows whose key the"
                    + " source no longer has are deleted. The run appears in GET .../runs with its report (field"
                    + " verify) when it has finished. It holds the mapping's lock: no sync of the mapping runs"
                    + " meanwhile, here or on another replica.")
    @APIResponse(responseCode = "202", description = "The verify has started", headers = @Header(name = "Location",
            description = "the mapping's run history"), content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TriggeredVerify.class)))
    @APIResponse(responseCode = "400", description = "repair is neither true nor false", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No or wrong credentials", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "The user lacks role operator", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such mapping", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The mapping is running in this instance", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The service is shutting down", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestResponse<TriggeredVerify> verify(@RestPath String id,
            @Parameter(description = "true: repair the differences from the source",
                    schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false")) @RestQuery String repair,
            UriInfo uri) {
        boolean fix = RunResource.parseBoolean("repair", repair);
        return RunResource.started(engine, uri, id, () -> verify.trigger(id, fix),
                runId -> new TriggeredVerify(runId, id, fix));
    }
}
