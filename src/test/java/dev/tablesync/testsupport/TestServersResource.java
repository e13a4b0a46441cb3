package dev.tablesync.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} application at the shared test servers, with freshly emptied databases.
 *
 * <p>Use with {@code @QuarkusTestResource(value = TestServersResource.class, initArgs = ...)}; optional init
 * args {@code sourceDatabase} and {@code targetDatabase} choose the database names. Dev services are switched
 * off because the servers come from {@link TestServers}, not from Quarkus.
 */
public class TestServersResource implements QuarkusTestResourceLifecycleManager {

    static final String DEFAULT_SOURCE_DATABASE = "tablesync_src";
    static final String DEFAULT_TARGET_DATABASE = "tablesync_tgt";

    private String sourceDatabase = DEFAULT_SOURCE_DATABASE;
    private String targetDatabase = DEFAULT_TARGET_DATABASE;
    private String[] sourceSql = new String[0];
    private String[] targetSql = new String[0];
    private String localDatabase;
    private String[] localSql = new String[0];

    @Override
    public void init(Map<String, String> initArgs) {
        sourceDatabase = initArgs.getOrDefault("sourceDatabase", DEFAULT_SOURCE_DATABASE);
        targetDatabase = initArgs.getOrDefault("targetDatabase", DEFAULT_TARGET_DATABASE);
        sourceSql = statements(initArgs.get("sourceSql"));
        targetSql = statements(initArgs.get("targetSql"));
        localDatabase = initArgs.get("localDatabase");
        localSql = statements(initArgs.get("localSql"));
    }

    /**
     * Optional init args {@code sourceSql}/{@code targetSql}: statements separated by ";;", run after the reset;
     * {@code localDatabase} (+ {@code localSql}) adds a connection {@code local} to a database on the target server.
     */
    private static String[] statements(String text) {
        return text == null || text.isBlank() ? new String[0] : text.split(";;");
    }

    @Override
    public Map<String, String> start() {
        TestServers servers = TestServers.get();
        servers.source().recreateDatabase(sourceDatabase);
        servers.target().recreateDatabase(targetDatabase);
        if (sourceSql.length > 0) {
            servers.source().execute(sourceDatabase, sourceSql);
        }
        if (targetSql.length > 0) {
            servers.target().execute(targetDatabase, targetSql);
        }
        Map<String, String> config = new HashMap<>();
        put(config, "source", servers.source(), sourceDatabase);
        put(config, "target", servers.target(), targetDatabase);
        if (localDatabase != null) {
            // A second source that lives on the target server: stays up when the source server is stopped.
            servers.target().recreateDatabase(localDatabase);
            if (localSql.length > 0) {
                servers.target().execute(localDatabase, localSql);
            }
            put(config, "local", servers.target(), localDatabase);
        }
        config.put("quarkus.devservices.enabled", "false");
        // Tests of a launched application read back what it wrote through exactly these servers.
        System.setProperty("tablesync-test.target.url", servers.target().jdbcUrl(""));
        System.setProperty("tablesync-test.target.username", servers.target().username());
        System.setProperty("tablesync-test.target.password", servers.target().password());
        return config;
    }

    private static void put(Map<String, String> config, String name, TestServer server, String database) {
        String prefix = "tablesync.connections." + name + ".";
        config.put(prefix + "url", server.jdbcUrl(database));
        config.put(prefix + "username", server.username());
        config.put(prefix + "password", server.password());
    }

    /** Nothing to do: the servers belong to the JVM and are shared with the next test class. */
    @Override
    public void stop() {
    }
}
