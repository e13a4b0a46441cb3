package dev.tablesync.api;

import java.util.NoSuchElementException;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.tablesync.conflict.ParkUnavailableException;
import dev.tablesync.conflict.TargetChangedException;
import dev.tablesync.conflict.UnknownConflictException;
import dev.tablesync.sync.MappingBusyException;
import dev.tablesync.sync.MappingException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Turns every error the API knows into an RFC 7807 problem+json body whose detail says what to do.
 * Global mappers: the API resources are the only REST endpoints of the service that answer JSON; the
 * console shows the same problems on its pages through {@link #describe}.
 */
@Singleton
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    /** The realm Quarkus' HTTP Basic mechanism announces by default (quarkus.http.auth.realm). */
    private static final String BASIC_CHALLENGE = "Basic realm=\"Quarkus\"";

    @Inject
    Redactor redactor;

    /** The engine throws it for an unknown mapping id only; its message lists the known ones. */
    @ServerExceptionMapper
    public Response unknownMapping(NoSuchElementException e, UriInfo uri) {
        return problem(404, Problem.type("unknown-mapping"), "Unknown mapping",
                e.getMessage() + "; GET /api/mappings lists them", uri);
    }

    @ServerExceptionMapper
    public Response busy(MappingBusyException e, UriInfo uri) {
        return problem(409, Problem.type("mapping-busy"), "Mapping is running",
                sentence(e.getMessage()) + " Retry once GET /api/mappings/" + uri.getPathParameters().getFirst("id")
                        + " shows running=false", uri);
    }

    /** Here from pause, resume, reset or history: the target's state store failed, so the action did not happen. */
    @ServerExceptionMapper
    public Response stateStoreFailed(MappingException e, UriInfo uri) {
        String detail = redactor.apply(e.getMessage());
        LOG.warnf("API %s failed: %s", path(uri), detail);
        return problem(503, Problem.type("state-store-unavailable"), "Target state store unavailable",
                sentence(detail) + " Nothing was changed; check that the target server is reachable and retry", uri);
    }

    @ServerExceptionMapper
    public Response unknownConflict(UnknownConflictException e, UriInfo uri) {
        return problem(404, Problem.type("unknown-conflict"), "Unknown conflict", e.getMessage(), uri);
    }

    /** A resolution refused because the target row changed since it was parked: the row as it is now. */
    @ServerExceptionMapper
    public Response targetChanged(TargetChangedException e, UriInfo uri) {
        return Response.status(409).type(Problem.MEDIA_TYPE).entity(ChangedTargetProblem.of(e, path(uri))).build();
    }

    @ServerExceptionMapper
    public Response parkUnavailable(ParkUnavailableException e, UriInfo uri) {
        String detail = redactor.apply(e.getMessage());
        LOG.warnf("API %s failed: %s", path(uri), detail);
        return problem(503, Problem.type("state-store-unavailable"), "Target state store unavailable", detail
                + ". Nothing was changed; check that the target server is reachable and retry", uri);
    }

    @ServerExceptionMapper
    public Response refused(ApiProblemException e, UriInfo uri) {
        return problem(e.status(), e.type(), e.title(), e.getMessage(), uri);
    }

    /**
     * Replaces Quarkus' own 401 (a bare challenge) with a problem body; the challenge header must stay
     * so clients know to send Basic credentials.
     */
    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e, UriInfo uri) {
        return Response.fromResponse(problem(401, Problem.type("unauthenticated"), "Authentication required",
                "send HTTP Basic credentials of a user with role viewer (reads) or operator (reads and actions)", uri))
                .header(HttpHeaders.WWW_AUTHENTICATE, BASIC_CHALLENGE).build();
    }

    /**
     * Credentials were sent but not accepted (unknown user or wrong password). Quarkus answers this
     * with a bare challenge unless a mapper exists; the detail never says which of the two was wrong.
     */
    @ServerExceptionMapper
    public Response badCredentials(AuthenticationFailedException e, UriInfo uri) {
        return Response.fromResponse(problem(401, Problem.type("unauthenticated"), "Authentication failed",
                "the user name or password was not accepted; send HTTP Basic credentials of a user with role viewer"
                        + " (reads) or operator (reads and actions)", uri))
                .header(HttpHeaders.WWW_AUTHENTICATE, BASIC_CHALLENGE).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return problem(403, Problem.type("forbidden"), "Operator role required",
                "this action needs role operator, which your user does not have; use an operator account or"
                        + " ask for the role (quarkus.security.users.embedded.roles.<user>=operator)", uri);
    }

    /** Routing and content negotiation errors (unknown path, wrong method): keep status and headers such as Allow. */
    @ServerExceptionMapper
    public Response http(WebApplicationException e, UriInfo uri) {
        Response original = e.getResponse();
        Response.StatusType status = original.getStatusInfo();
        Response body = problem(status.getStatusCode(), Problem.GENERIC, status.getReasonPhrase(),
                redactor.apply(e.getMessage()), uri);
        return Response.fromResponse(original).entity(body.getEntity()).type(Problem.MEDIA_TYPE).build();
    }

    /**
     * The problem the API would answer for {@code e}, for callers that show it elsewhere (the console
     * renders it on the page); empty for exceptions the API does not map, which callers rethrow.
     */
    public Optional<Problem> describe(RuntimeException e, UriInfo uri) {
        Response response = e instanceof NoSuchElementException unknown ? unknownMapping(unknown, uri)
                : e instanceof MappingBusyException busy ? busy(busy, uri)
                : e instanceof MappingException failed ? stateStoreFailed(failed, uri)
                : e instanceof ApiProblemException refused ? refused(refused, uri)
                : e instanceof UnknownConflictException conflict ? unknownConflict(conflict, uri)
                : e instanceof TargetChangedException changed ? targetChanged(changed, uri)
                : e instanceof ParkUnavailableException park ? parkUnavailable(park, uri)
                : e instanceof ForbiddenException denied ? forbidden(denied, uri)
                : e instanceof UnauthorizedException missing ? unauthenticated(missing, uri)
                : e instanceof WebApplicationException other ? http(other, uri) : null;
        return Optional.ofNullable(response).map(r -> r.getEntity() instanceof ChangedTargetProblem changed
                ? changed.problem() : (Problem) r.getEntity());
    }

    private static Response problem(int status, String type, String title, String detail, UriInfo uri) {
        return Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(new Problem(type, title, status, detail, path(uri))).build();
    }

    /** Engine and driver messages may or may not end with a full stop; the advice follows as its own sentence. */
    private static String sentence(String message) {
        String text = String.valueOf(message).strip();
        return text.endsWith(".") ? text : text + ".";
    }

    /** The path alone: the host and query of the request add nothing to "where did it happen". */
    private static String path(UriInfo uri) {
        return uri.getRequestUri().getRawPath();
    }
}
