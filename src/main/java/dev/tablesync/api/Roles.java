package dev.tablesync.api;

/**
 * The two API roles, granted in configuration ({@code quarkus.security.users.embedded.roles.<user>}).
 * Operators can do everything viewers can, so reads accept both and nobody needs two roles.
 */
public final class Roles {

    public static final String VIEWER = "viewer";
    public static final String OPERATOR = "operator";

    private Roles() {
    }
}
