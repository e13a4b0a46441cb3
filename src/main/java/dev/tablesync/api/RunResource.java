package dev.tablesync.api;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
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

import dev.tablesync.checkpoint.RunRecord;
import dev.tablesync.sync.RunKind;
import dev.tablesync.sync.SyncEngine;
import dev.tablesync.verify.VerifyReport;
import dev.tablesync.verify.VerifyService;

/** Runs of one mapping: start one now, read the history. */
@Path("/api/mappings/{id}/runs")
@Tag(name = "Runs", description = "Trigger a run now and read the run history")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "No or wrong credentials", content = @Content(
        mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "No such mapping; the detail lists the known ones", content = @Content(
        mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "400", description = "A query parameter is invalid", content = @Content(
        mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class RunResource {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 500;

    @Inject
    SyncEngine engine;

    @Inject
    Redactor redactor;

    @Inject
    VerifyService verify;

    @POST
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Run the mapping now",
            description = "Starts a run in the background, even when the mapping is paused, and returns its id at"
                    + " once; the run appears in the history, with that runId, when it has finished. A run that"
                    + " cannot start because another replica is running the mapping, or because the target is"
                    + " unreachable, leaves no history entry; the latter shows in the mapping's lastError.")
    @APIResponse(responseCode = "202", description = "The run has started", headers = @Header(name = "Location",
            description = "the mapping's run history"), content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TriggeredRun.class)))
    @APIResponse(responseCode = "403", description = "The user lacks role operator", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "A run of this mapping is in progress in this instance",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The service is shutting down", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestResponse<TriggeredRun> trigger(@RestPath String id,
            @Parameter(description = "true: copy the whole table again, ignoring the checkpoint",
                    schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false")) @RestQuery String full,
            UriInfo uri) {
        boolean fullResync = parseBoolean("full", full);
        return started(engine, uri, id, () -> engine.trigger(id, fullResync),
                runId -> new TriggeredRun(runId, id, fullResync));
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR })
    @Operation(summary = "Run history, newest first", description = "Finished runs: scheduled and triggered ones,"
            + " successful and failed. Runs skipped because the mapping was paused are not recorded.")
    @APIResponse(responseCode = "200", description = "One page of the history")
    @APIResponse(responseCode = "503", description = "The target's state store is unreachable", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RunPage history(@RestPath String id,
            @Parameter(description = "runs per page, 1 to " + MAX_LIMIT, schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "1", maximum = "" + MAX_LIMIT, defaultValue = "" + DEFAULT_LIMIT)) @RestQuery String limit,
            @Parameter(description = "runs to skip", schema = @Schema(type = SchemaType.INTEGER, minimum = "0",
                    defaultValue = "0")) @RestQuery String offset,
            UriInfo uri) {
        int pageSize = parseInt("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
        int skip = parseInt("offset", offset, 0, 0, Integer.MAX_VALUE - MAX_LIMIT);
        List<RunRecord> records = engine.history(id, pageSize, skip);
        Map<String, VerifyReport> reports = verify.reports(id, records.stream()
                .filter(r -> RunKind.isVerify(r.kind())).flatMap(r -> r.runKey().stream()).toList());
        List<RunView> runs = records.stream()
                .map(r -> RunView.of(r, redactor, r.runKey().map(reports::get).orElse(null))).toList();
        return new RunPage(id, pageSize, skip, runs, runs.size() < pageSize ? null : next(uri, id, pageSize, skip));
    }

    /** A full page may have a successor; the client finds out with one more request. */
    private static String next(UriInfo uri, String id, int limit, int offset) {
        URI next = uri.getBaseUriBuilder().path(RunResource.class).queryParam("limit", limit)
                .queryParam("offset", offset + limit).build(id);
        return next.getRawPath() + "?" + next.getRawQuery();
    }

    /*
     * Query parameters arrive as text and are checked here: JAX-RS would answer a non-numeric limit
     * with 404 and read full=yes as false, both silently wrong for an operator typing a URL.
     */
    static int parseInt(String name, String text, int defaultValue, int min, int max) {
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the accepted range
        }
        throw ApiProblemException.badParameter(name + " must be a whole number from " + min + " to " + max + ", got '"
                + text + "'; e.g. ?limit=" + DEFAULT_LIMIT + "&offset=0");
    }

    /**
     * Starts background work on mapping {@code id} (a run, a verify) and answers 202 with what
     * {@code body} makes of its run id, and the mapping's run history, where it will appear, as
     * Location; refused with 503 once shutdown has begun.
     */
    static <T> RestResponse<T> started(SyncEngine engine, UriInfo uri, String id, Supplier<String> work,
            Function<String, T> body) {
        String runId;
        try {
            runId = work.get();
        } catch (IllegalStateException e) {
            if (!engine.stopping()) {
                throw e;
            }
            throw new ApiProblemException(503, "shutting-down", "Shutting down", e.getMessage());
        }
        URI history = uri.getBaseUriBuilder().path(RunResource.class).build(id);
        return RestResponse.ResponseBuilder.accepted(body.apply(runId)).location(history).build();
    }

    static boolean parseBoolean(String name, String text) {
        if (text == null || text.isBlank() || text.equalsIgnoreCase("false")) {
            return false;
        }
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        throw ApiProblemException.badParameter(name + " must be true or false, got '" + text + "'");
    }
}
