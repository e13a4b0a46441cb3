package dev.tablesync.api;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Keeps the console's CSRF check off the API without opening the API to cross-site forms. Quarkus' CSRF filter
 * checks every form post and cannot be scoped by path, so a script's {@code curl -d ''} to the API was refused for
 * want of a console token. The API reads no form fields: before matching, a form post to it loses its form
 * content type and passes as a post without a body. A browser's form post (it always names its {@code Origin},
 * and no console page posts to the API) is refused instead: it would act with the credentials the browser keeps
 * for the console's users.
 */
public class BrowserFormGuard {

    @ServerRequestFilter(preMatching = true)
    public Response apiFormPost(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/api/") || HttpMethod.GET.equals(request.getMethod())
                || HttpMethod.HEAD.equals(request.getMethod()) || !isForm(request.getMediaType())) {
            return null;
        }
        if (request.getHeaderString("Origin") != null) {
            return Response.status(403).type(Problem.MEDIA_TYPE).entity(new Problem(Problem.GENERIC, "Forbidden", 403,
                    "A browser's form post to the API is refused: it could come from another site using the"
                            + " credentials the browser keeps. Send the request from a client that is not a browser"
                            + " form, or use the console.", request.getUriInfo().getPath())).build();
        }
        request.getHeaders().remove(HttpHeaders.CONTENT_TYPE);
        return null;
    }

    private static boolean isForm(MediaType type) {
        return type != null && (type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                || type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE));
    }
}
