package dev.tablesync.api;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * Document-wide OpenAPI facts: what the API is for and that every operation needs HTTP Basic
 * credentials (role viewer for reads, operator for actions).
 */
@OpenAPIDefinition(
        info = @Info(title = "tablesync operations API", version = "1",
                description = "See which mapping is behind and why, trigger runs, pause, resume and reset mappings."
                        + " Errors are RFC 7807 application/problem+json bodies whose detail says what to do."),
        components = @Components(securitySchemes = @SecurityScheme(securitySchemeName = ApiDocumentation.BASIC,
                type = SecuritySchemeType.HTTP, scheme = "basic",
                description = "users and roles from quarkus.security.users.embedded.*")),
        security = @SecurityRequirement(name = ApiDocumentation.BASIC))
public final class ApiDocumentation {

    static final String BASIC = "basic";

    private ApiDocumentation() {
    }
}
