package dev.tablesync.health;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tablesync.config.Mapping;
import dev.tablesync.conflict.ParkedConflicts;
import dev.tablesync.sync.SyncEngine;
import dev.tablesync.verify.VerifyService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthRegistry;
import io.smallrye.health.api.HealthType;
import io.smallrye.health.registry.HealthRegistries;

/**
 * Registers one {@link MappingHealthCheck} per configured mapping, so each mapping has its own
 * response and status. A CDI health check bean can return only one response, hence the
 * programmatic registration (SmallRye's health registries).
 *
 * <p>Each check is registered twice: in the group {@value #GROUP} ({@code /q/health/group/mappings})
 * and as a wellness check, which puts it in the overall report ({@code /q/health}) but neither in
 * liveness nor in readiness: a lagging mapping must not restart the pod or take the API out of
 * the Service.
 */
@ApplicationScoped
public class MappingHealthChecks {

    /** The health group of the per-mapping checks. */
    public static final String GROUP = "mappings";

    /** The name of mapping {@code id}'s check in health output, e.g. {@code mapping-orders}. */
    public static String checkName(String id) {
        return MappingHealthCheck.name(id);
    }

    private final List<String> registered = new ArrayList<>();

    void register(@Observes StartupEvent event, SyncEngine engine, VerifyService verify, ParkedConflicts conflicts) {
        for (Mapping m : engine.mappings()) {
            String id = m.id();
            MappingHealthCheck check = new MappingHealthCheck(() -> engine.status(id), () -> verify.last(id),
                    () -> conflicts.parks(id) ? conflicts.parked(id) : java.util.OptionalLong.empty());
            String key = MappingHealthCheck.name(id);
            registries().forEach(r -> r.register(key, check));
            registered.add(key);
        }
    }

    /** The registries are static: without this a restarted application (tests, dev mode) would keep stale checks. */
    void unregister(@Observes ShutdownEvent event) {
        for (String key : registered) {
            registries().forEach(r -> {
                try {
                    r.remove(key);
                } catch (IllegalStateException alreadyGone) {
                    // nothing to remove
                }
            });
        }
        registered.clear();
    }

    private static List<HealthRegistry> registries() {
        return List.of(HealthRegistries.getRegistry(HealthType.WELLNESS), HealthRegistries.getHealthGroupRegistry(GROUP));
    }
}
