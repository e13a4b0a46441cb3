package dev.tablesync.console;

import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.OptionalLong;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;

import dev.tablesync.api.ApiProblemException;
import dev.tablesync.api.MappingResource;
import dev.tablesync.api.Problem;
import dev.tablesync.api.ProblemMappers;
import dev.tablesync.api.ResolvedView;
import dev.tablesync.api.Roles;
import dev.tablesync.api.RunResource;
import dev.tablesync.api.VerifyResource;

/**
 * The console's actions: HTML form posts, each refused by Quarkus' CSRF filter without the page's
 * token, then done by calling the API's own resource, so its role check (operator), 404 and 409 apply
 * unchanged. Done: 303 back to the page, which says what happened. Refused: the page again, with the
 * problem's status and detail. Same class path as {@link ConsolePages}: JAX-RS matches the class by its
 * path first, so a longer one here would hide the pages' GETs below it.
 */
@Path("/console")
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({ Roles.VIEWER, Roles.OPERATOR })
public class ConsoleActions {

    /** What the page says after an action, by the {@code done} query parameter of the redirect. */
    static final Map<String, String> NOTICES = Map.of(
            "run", "Run started; it appears in the history when it has finished.",
            "full-run", "Full resync started; it appears in the history when it has finished.",
            "paused", "Paused: scheduled runs are skipped until you resume (triggered runs still happen).",
            "resumed", "Resumed: the next scheduled tick runs.",
            "reset", "Checkpoint deleted: the next run copies the whole table again.",
            "verify", "Verify started; its report appears below when it has finished.",
            "verify-repair", "Verify and repair started; its report appears below when it has finished.",
            "resolved", "Conflict resolved.");

    /** The notice for a redirect's {@code done}; null for none or an unknown one. */
    static String notice(String done) {
        return done == null ? null : NOTICES.get(done);
    }

    /**
     * The notice of the conflicts page: as {@link #notice(String)}, and for {@code resolved-all} how many
     * were resolved and which were left parked ({@code refused}, ids separated by commas).
     */
    static String notice(String done, String resolved, String refused) {
        if (!"resolved-all".equals(done)) {
            return notice(done);
        }
        Set<Long> left = ids(refused);
        String text = "Resolved " + (resolved == null || !resolved.matches("\\d{1,9}") ? "the" : resolved)
                + " parked conflicts.";
        return left.isEmpty() ? text : text + " " + left.size() + " left parked (marked below): their target row"
                + " changed since they were parked, or (recheck) still differs. Look at each and resolve it on its"
                + " own.";
    }

    /** The conflict ids of a {@code refused} query parameter; malformed ones are ignored. */
    static Set<Long> ids(String refused) {
        if (refused == null || refused.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(refused.split(",")).map(String::strip).filter(t -> t.matches("\\d{1,18}"))
                .map(Long::valueOf).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    @Inject
    MappingResource mappings;

    @Inject
    RunResource runs;

    @Inject
    VerifyResource verify;

    @Inject
    ConsoleConflicts conflicts;

    @Inject
    ConsolePages pages;

    @Inject
    ProblemMappers problems;

    @POST
    @Path("mappings/{id}/run")
    public Response run(@RestPath String id, @RestForm String full, UriInfo uri) {
        return act(id, "", "true".equalsIgnoreCase(full) ? "full-run" : "run", uri,
                () -> runs.trigger(id, full, uri));
    }

    @POST
    @Path("mappings/{id}/pause")
    public Response pause(@RestPath String id, UriInfo uri) {
        return act(id, "", "paused", uri, () -> mappings.pause(id));
    }

    @POST
    @Path("mappings/{id}/resume")
    public Response resume(@RestPath String id, UriInfo uri) {
        return act(id, "", "resumed", uri, () -> mappings.resume(id));
    }

    /** Only when the form repeats the mapping's id: a reset makes the next run copy the whole table. */
    @POST
    @Path("mappings/{id}/reset")
    public Response reset(@RestPath String id, @RestForm String confirm, UriInfo uri) {
        return act(id, "", "reset", uri, () -> {
            if (!id.equals(confirm == null ? null : confirm.strip())) {
                throw ApiProblemException.badParameter("type the mapping id " + id + " to confirm the reset; got '"
                        + (confirm == null ? "" : confirm) + "'. Nothing was changed");
            }
            mappings.reset(id);
        });
    }

    @POST
    @Path("mappings/{id}/verify")
    public Response verify(@RestPath String id, @RestForm String repair, UriInfo uri) {
        return act(id, "", "true".equalsIgnoreCase(repair) ? "verify-repair" : "verify", uri,
                () -> verify.verify(id, repair, uri));
    }

    @POST
    @Path("mappings/{id}/conflicts/resolve")
    public Response resolveAll(@RestPath String id, @RestForm String action, UriInfo uri) {
        return act(id, "/conflicts", uri, () -> resolved("resolved-all", conflicts.resolve(id, OptionalLong.empty(),
                action)));
    }

    @POST
    @Path("mappings/{id}/conflicts/{conflictId}/resolve")
    public Response resolve(@RestPath String id, @RestPath long conflictId, @RestForm String action, UriInfo uri) {
        return act(id, "/conflicts", uri, () -> resolved("resolved", conflicts.resolve(id, OptionalLong.of(conflictId),
                action)));
    }

    /**
     * Does {@code action}; then 303 to the mapping's page ({@code page} "") or its conflicts page
     * ("/conflicts") saying {@code done}, or that page with the problem the API would have answered.
     */
    private Response act(String id, String page, String done, UriInfo uri, Runnable action) {
        return act(id, page, uri, () -> {
            action.run();
            return Map.of("done", done);
        });
    }

    /** As above; {@code action} answers the redirect's query parameters. */
    private Response act(String id, String page, UriInfo uri, Supplier<Map<String, Object>> action) {
        Map<String, Object> query;
        try {
            query = action.get();
        } catch (RuntimeException e) {
            Problem problem = problems.describe(e, uri).orElseThrow(() -> e);
            return page.isEmpty() ? pages.mappingPage(id, null, problem, uri)
                    : pages.conflictsPage(id, null, Set.of(), problem,
                            ConsoleConflicts.changedTarget(e, uri).orElse(null), uri);
        }
        UriBuilder target = uri.getBaseUriBuilder().path("console/mappings/{id}" + page);
        query.forEach((name, value) -> target.queryParam(name, value));
        URI to = target.build(id);
        return Response.seeOther(to).build();
    }

    /** The redirect's query after a resolution: what was done, how many, and which rows were left parked. */
    private static Map<String, Object> resolved(String done, ResolvedView answer) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("done", done);
        query.put("resolved", answer.resolved());
        if (!answer.refused().isEmpty()) {
            query.put("refused", answer.refused().stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        return query;
    }
}
