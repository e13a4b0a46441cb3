package dev.tablesync.health;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link TwoMappingsProfile} for the packaged application ({@code *IT}). The launcher gives the
 * application a free HTTP port and reads it back, but not the management port: the management
 * interface moves off application.properties' 9000 to the test port the tests look for (9001).
 */
public class TwoMappingsITProfile extends TwoMappingsProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("quarkus.management.port", "9001");
        config.put("quarkus.management.test-port", "9001");
        return config;
    }
}
