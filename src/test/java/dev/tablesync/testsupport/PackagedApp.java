package dev.tablesync.testsupport;

import java.util.HashMap;
import java.util.Map;

/** What a test profile adds for the packaged application ({@code *IT}). */
public final class PackagedApp {

    private PackagedApp() {
    }

    /**
     * {@code config} with the management interface on the test port the tests look for (9001). The
     * integration-test launcher gives the application a free HTTP port and reads it back, but leaves
     * the management port at application.properties' 9000.
     */
    public static Map<String, String> managementOnTestPort(Map<String, String> config) {
        Map<String, String> result = new HashMap<>(config);
        result.put("quarkus.management.port", "9001");
        result.put("quarkus.management.test-port", "9001");
        return result;
    }
}
