package dev.tablesync.health;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link TwoMappingsProfile} for the packaged application ({@code *IT}): fixed test ports, as the
 * integration-test launcher starts the jar or native executable on them; the management interface
 * moves off application.properties' 9000 to the test port the tests look for.
 */
public class TwoMappingsITProfile extends TwoMappingsProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.remove("quarkus.http.test-port");
        config.put("quarkus.management.port", "9001");
        config.put("quarkus.management.test-port", "9001");
        return config;
    }
}
