package dev.tablesync.console;

import java.util.List;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import dev.tablesync.api.ChangedTargetProblem;
import dev.tablesync.api.MappingResource;
import dev.tablesync.api.MappingView;
import dev.tablesync.api.Problem;
import dev.tablesync.api.ProblemMappers;
import dev.tablesync.api.Roles;
import dev.tablesync.api.RunResource;
import dev.tablesync.api.RunView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The console's pages (GET), read through the API's own resources: what a viewer may read there, the
 * page shows, redacted the same way. Actions are in {@link ConsoleActions}.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({ Roles.VIEWER, Roles.OPERATOR })
public class ConsolePages {

    /** Runs shown on a mapping's page; verify reports are looked for among {@link #HISTORY} runs. */
    static final int RUNS = 20;
    static final int HISTORY = 100;

    /** Templates under {@code templates/ConsolePages/}, checked at build time (no templates read at run time). */
    @CheckedTemplate
    static class Templates {
        static native TemplateInstance mappings(List<MappingRow> rows, ConsoleUser user);

        static native TemplateInstance mapping(MappingPage page, ConsoleUser user);

        static native TemplateInstance conflicts(ConflictsPage page, ConsoleUser user);

        static native TemplateInstance problem(Problem problem, ConsoleUser user);
    }

    @Inject
    MappingResource mappings;

    @Inject
    RunResource runs;

    @Inject
    LagHistory lag;

    @Inject
    ConsoleConflicts conflicts;

    @Inject
    ProblemMappers problems;

    @Inject
    SecurityIdentity identity;

    @GET
    public TemplateInstance list() {
        List<MappingRow> rows = mappings.list().stream().map(this::row).toList();
        return Templates.mappings(rows, ConsoleUser.of(identity));
    }

    @GET
    @Path("mappings/{id}")
    public Response mapping(@RestPath String id, @RestQuery String done, UriInfo uri) {
        return mappingPage(id, ConsoleActions.notice(done), null, uri);
    }

    @GET
    @Path("mappings/{id}/conflicts")
    public Response conflicts(@RestPath String id, @RestQuery String done, @RestQuery String resolved,
            @RestQuery String refused, UriInfo uri) {
        return conflictsPage(id, ConsoleActions.notice(done, resolved, refused), ConsoleActions.ids(refused), null,
                null, uri);
    }

    /** The mapping's page with what an action did or why it was refused; the problem's status when refused. */
    Response mappingPage(String id, String notice, Problem problem, UriInfo uri) {
        try {
            MappingRow row = row(mappings.get(id));
            List<RunView> history = runs.history(id, String.valueOf(HISTORY), "0", uri).runs();
            List<RunView> verifies = history.stream().filter(r -> r.verify() != null).limit(RUNS).toList();
            MappingPage page = new MappingPage(row, history.stream().limit(RUNS).toList(), verifies, notice, problem);
            return html(problem, Templates.mapping(page, ConsoleUser.of(identity)));
        } catch (RuntimeException e) {
            return problemPage(e, uri);
        }
    }

    /** The conflicts page; {@code changed} is the 409 of a refused resolution, with the target row as it is now. */
    Response conflictsPage(String id, String notice, Set<Long> refused, Problem problem, ChangedTargetProblem changed,
            UriInfo uri) {
        try {
            ConflictsPage page = ConflictsPage.of(conflicts.parked(id), refused, notice, problem, changed);
            return html(problem, Templates.conflicts(page, ConsoleUser.of(identity)));
        } catch (RuntimeException e) {
            return problemPage(e, uri);
        }
    }

    /** A page of its own for a problem that leaves nothing else to show (unknown mapping, state store down). */
    private Response problemPage(RuntimeException e, UriInfo uri) {
        Problem problem = problems.describe(e, uri).orElseThrow(() -> e);
        return html(problem, Templates.problem(problem, ConsoleUser.of(identity)));
    }

    private static Response html(Problem problem, TemplateInstance page) {
        return Response.status(problem == null ? 200 : problem.status()).type(MediaType.TEXT_HTML_TYPE)
                .entity(page).build();
    }

    private MappingRow row(MappingView m) {
        return new MappingRow(m, lag.sparkline(m.id()), conflicts.count(m.id()));
    }
}
