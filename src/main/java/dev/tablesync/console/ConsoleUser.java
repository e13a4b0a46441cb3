package dev.tablesync.console;

import dev.tablesync.api.Roles;
import io.quarkus.qute.TemplateData;
import io.quarkus.security.identity.SecurityIdentity;

/** Who is looking at a page, and whether the page offers actions (role operator). */
@TemplateData
public record ConsoleUser(String name, boolean operator) {

    static ConsoleUser of(SecurityIdentity identity) {
        return new ConsoleUser(identity.getPrincipal().getName(), identity.hasRole(Roles.OPERATOR));
    }

    public String role() {
        return operator ? Roles.OPERATOR : Roles.VIEWER;
    }
}
