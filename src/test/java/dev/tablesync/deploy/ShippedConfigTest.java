package dev.tablesync.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tablesync.config.ConfigValidator;
import dev.tablesync.config.TablesyncConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The configuration the manifests ship (ConfigMap of the base and of the overlay, plus the Secret
 * example) is one that the service accepts at start-up: no misspelt key, every connection it names
 * defined, and no real password.
 */
class ShippedConfigTest {

    @Test
    void shouldStartWithTheBaseConfiguration() {
        assertEquals(Set.of("orders"), validate(configMap(Manifests.BASE)).keySet());
    }

    @Test
    void shouldStartWithTheExampleOverlayConfiguration() {
        assertEquals(Set.of("orders", "customers", "invoices"), validate(configMap(Manifests.OVERLAY)).keySet());
    }

    @Test
    void shouldRefuseToStartWithCredentialsOfAConnectionTheConfigMapLacks() {
        Properties configMap = configMap(Manifests.BASE);
        configMap.remove("tablesync.connections.warehouse.url");

        Exception e = assertThrows(RuntimeException.class, () -> validate(configMap));
        assertTrue(e.getMessage().contains("tablesync.connections.warehouse.url"), e.getMessage());
    }

    @Test
    void shouldShipOnlyPlaceholderSecrets() {
        Properties credentials = secretExample();
        credentials.stringPropertyNames().stream()
                .filter(key -> key.endsWith(".password") || key.startsWith("quarkus.security.users.embedded.users."))
                .forEach(key -> assertEquals("change-me", credentials.getProperty(key), key));
        assertTrue(credentials.containsKey("quarkus.security.users.embedded.roles.alice"));
    }

    private static Map<String, ?> validate(Properties configMap) {
        Map<String, String> all = new HashMap<>();
        for (Properties p : new Properties[] {configMap, secretExample()}) {
            p.stringPropertyNames().stream().filter(key -> key.startsWith("tablesync."))
                    .forEach(key -> all.put(key, p.getProperty(key)));
        }
        TablesyncConfig config = new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(TablesyncConfig.class)
                .withSources(new PropertiesConfigSource(all, "k8s", 500))
                .build()
                .getConfigMapping(TablesyncConfig.class);
        return ConfigValidator.validate(config).mappings();
    }

    private static Properties configMap(java.nio.file.Path kustomization) {
        return properties(Manifests.only(Kustomize.render(kustomization), "ConfigMap").at("/data/tablesync.properties"));
    }

    private static Properties secretExample() {
        return properties(Kustomize.readAll(Manifests.SECRET_EXAMPLE).get(0).at("/stringData/credentials.properties"));
    }

    private static Properties properties(JsonNode text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text.asText()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return p;
    }
}
