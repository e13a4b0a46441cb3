package dev.tablesync.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What may be said about a configured JDBC URL without leaking a secret it may hold. */
public final class JdbcUrl {

    /** Lower-case words ending in a colon, then {@code //}: a scheme, which cannot hold a secret. */
    private static final Pattern SCHEME = Pattern.compile("^([a-z]+:)+(?=//)");

    private JdbcUrl() {
    }

    /**
     * A URL for an error message: its scheme at most. Anything else may be a password (a URL's
     * {@code user:password@} or {@code ?password=}, or a password pasted into the wrong key).
     */
    public static String describe(String url) {
        Matcher scheme = SCHEME.matcher(url);
        return scheme.find() ? "a URL starting with '" + scheme.group() + "'"
                : "a URL that is not shown (it may hold a secret)";
    }

    /** The database of {@code jdbc:mysql://host:port/database?options}, if the URL names one. */
    static Optional<String> database(String url) {
        int hosts = url.indexOf("//");
        int slash = hosts < 0 ? -1 : url.indexOf('/', hosts + 2);
        if (slash < 0) {
            return Optional.empty();
        }
        int end = url.indexOf('?', slash);
        String database = url.substring(slash + 1, end < 0 ? url.length() : end);
        return database.isEmpty() ? Optional.empty() : Optional.of(database);
    }
}
