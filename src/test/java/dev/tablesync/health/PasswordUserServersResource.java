package dev.tablesync.health;

import java.util.Map;

import dev.tablesync.testsupport.TestServer;
import dev.tablesync.testsupport.TestServers;
import dev.tablesync.testsupport.TestServersResource;

/**
 * The shared test servers, reached as a user with a real password, so tests can assert that the
 * password never shows up in health or metrics output (the default test user has an empty one).
 * Falls back to the default user when it cannot create one (external servers without the privilege).
 */
public class PasswordUserServersResource extends TestServersResource {

    public static final String USER = "tablesync_monitor";
    public static final String PASSWORD = "Monitor-Secret-7f3a9c";

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new java.util.HashMap<>(super.start());
        TestServers servers = TestServers.get();
        if (createUser(servers.source()) && createUser(servers.target())) {
            for (String connection : new String[] {"source", "target"}) {
                config.put("tablesync.connections." + connection + ".username", USER);
                config.put("tablesync.connections." + connection + ".password", PASSWORD);
            }
        }
        return config;
    }

    private static boolean createUser(TestServer server) {
        try {
            for (String host : new String[] {"%", "localhost", "127.0.0.1"}) {
                String user = "'" + USER + "'@'" + host + "'";
                server.execute("", "CREATE USER IF NOT EXISTS " + user + " IDENTIFIED BY '" + PASSWORD + "'",
                        "GRANT ALL PRIVILEGES ON *.* TO " + user);
            }
            return true;
        } catch (IllegalStateException e) {
            System.out.println("Cannot create the test user " + USER + ", using the default one: " + e.getMessage());
            return false;
        }
    }
}
