package dev.tablesync.testsupport;

import java.util.Map;
import java.util.Optional;

/**
 * Uses servers someone else runs, named by environment variables, so CI systems with a database service (or a
 * developer with their own servers) skip the slower backends entirely.
 */
final class ExternalBackend {

    static final String SOURCE_URL = "TABLESYNC_TEST_SOURCE_URL";
    static final String TARGET_URL = "TABLESYNC_TEST_TARGET_URL";
    private static final String PREFIX = "jdbc:mysql://";

    private ExternalBackend() {
    }

    /** Empty when neither URL is set; fails when only one is, because half a configuration is a mistake. */
    static Optional<ServerPair> fromEnvironment(Map<String, String> env) {
        boolean hasSource = isSet(env.get(SOURCE_URL));
        boolean hasTarget = isSet(env.get(TARGET_URL));
        if (!hasSource && !hasTarget) {
            return Optional.empty();
        }
        if (hasSource != hasTarget) {
            throw new IllegalStateException("Set both " + SOURCE_URL + " and " + TARGET_URL + ", or neither");
        }
        JdbcTestServer source = server(env, "SOURCE");
        JdbcTestServer target = server(env, "TARGET");
        return Optional.of(new ServerPair("external", source, target, () -> { }));
    }

    private static JdbcTestServer server(Map<String, String> env, String role) {
        String prefix = "TABLESYNC_TEST_" + role + "_";
        String url = env.get(prefix + "URL").trim();
        String user = env.getOrDefault(prefix + "USER", "root");
        String password = env.getOrDefault(prefix + "PASSWORD", "");
        return parse(prefix + "URL", url, isSet(user) ? user : "root", password);
    }

    /** Accepts {@code jdbc:mysql://host[:port]}, ignoring any trailing path or parameters. */
    static JdbcTestServer parse(String variable, String url, String user, String password) {
        if (!url.startsWith(PREFIX)) {
            throw new IllegalStateException(variable + " must look like jdbc:mysql://host:port but is " + url);
        }
        String hostPort = url.substring(PREFIX.length()).split("[/?]", 2)[0];
        int colon = hostPort.lastIndexOf(':');
        try {
            String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            int port = colon < 0 ? 3306 : Integer.parseInt(hostPort.substring(colon + 1));
            return new JdbcTestServer(host, port, user, password);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(variable + " has an invalid port: " + url, e);
        }
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
