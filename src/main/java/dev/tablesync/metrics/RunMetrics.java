package dev.tablesync.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.tablesync.config.Mapping;
import dev.tablesync.sync.RunResult;
import dev.tablesync.sync.SyncEngine;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/** Counts rows, failures and durations from every finished run (the engine's {@link RunResult} event). */
@ApplicationScoped
public class RunMetrics {

    private static final Logger LOG = Logger.getLogger(RunMetrics.class);

    private final Map<String, RunMeters> meters = new ConcurrentHashMap<>();

    @Inject
    MeterRegistry registry;

    @Inject
    SyncEngine engine;

    void register(@Observes StartupEvent event) {
        engine.mappings().forEach(this::meters);
    }

    /** Runs on the run's thread, after the run: cheap, and never fails the run. */
    void onRun(@Observes RunResult result) {
        try {
            meters(engine.mapping(result.mappingId())).record(result);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Mapping %s: cannot update the run metrics", result.mappingId());
        }
    }

    private RunMeters meters(Mapping mapping) {
        return meters.computeIfAbsent(mapping.id(), id -> new RunMeters(mapping, registry));
    }
}
