package dev.tablesync.health;

import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.tablesync.config.Mapping;
import dev.tablesync.sync.StateStoreProbe;
import dev.tablesync.sync.SyncEngine;

/**
 * Readiness: the configuration is valid (the application refuses to start otherwise) and the state
 * store of every target connection answers, so the API can read checkpoints and record pauses.
 * Names connections only, never their URLs. A lagging or failing mapping does not make the service
 * unready: that is the {@code mappings} group's business.
 */
@Readiness
@ApplicationScoped
public class StateStoreReadinessCheck implements HealthCheck {

    static final String NAME = "state-stores";

    @Inject
    SyncEngine engine;

    @Inject
    StateStoreProbe stateStores;

    @Override
    public HealthCheckResponse call() {
        Map<String, String> unreachable = stateStores.unreachable();
        String checked = engine.mappings().stream().map(Mapping::targetConnection).distinct().sorted()
                .collect(Collectors.joining(","));
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).status(unreachable.isEmpty())
                .withData("configuration", "valid")
                .withData("stateStores", checked)
                .withData("unreachable", String.join(",", unreachable.keySet()));
        unreachable.forEach((connection, reason) -> response.withData("error." + connection, SafeText.of(reason)));
        return response.build();
    }
}
