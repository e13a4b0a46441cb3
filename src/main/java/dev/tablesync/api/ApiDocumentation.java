package dev.tablesync.api;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

/**
 * Document-wide OpenAPI facts. MicroProfile OpenAPI reads {@code @OpenAPIDefinition} from the
 * JAX-RS {@link Application}; nothing else is overridden, so every resource is still discovered.
 * Quarkus adds the HTTP Basic security scheme and each operation's roles from {@code @RolesAllowed}.
 */
@OpenAPIDefinition(info = @Info(title = "tablesync operations API", version = "1",
        description = "See which mapping is behind and why, trigger runs, pause, resume and reset mappings."
                + " HTTP Basic: role viewer reads, role operator also acts. Errors are RFC 7807"
                + " application/problem+json bodies whose detail says what to do."))
public class ApiDocumentation extends Application {
}
