package dev.tablesync.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tablesync.config.Mapping;
import dev.tablesync.sync.MappingStatus;
import dev.tablesync.sync.SyncEngine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * The state gauges of each mapping (lag, last success, paused, running), registered once at
 * start-up and read from the engine's in-memory status on each scrape: no database access.
 */
@ApplicationScoped
public class MappingGauges {

    void register(@Observes StartupEvent event, SyncEngine engine, MeterRegistry registry) {
        for (Mapping m : engine.mappings()) {
            String id = m.id();
            gauge(registry, Metrics.CHECKPOINT_LAG, "Now minus the source time up to which the target is complete",
                    id, engine, e -> lagSeconds(e.status(id)));
            gauge(registry, Metrics.LAST_SUCCESS, "When the last successful run ended, Unix time",
                    id, engine, e -> lastSuccessSeconds(e.status(id)));
            gauge(registry, Metrics.PAUSED, "1 while the mapping is paused",
                    id, engine, e -> e.status(id).paused() ? 1 : 0);
            gauge(registry, Metrics.RUNNING, "1 while this process runs the mapping",
                    id, engine, e -> e.status(id).running() ? 1 : 0);
        }
    }

    /** Now minus the source time the target is complete up to; NaN before the first success. */
    static double lagSeconds(MappingStatus status) {
        return status.lag().map(MappingGauges::seconds).orElse(Double.NaN);
    }

    static double lastSuccessSeconds(MappingStatus status) {
        return status.lastSuccess().map(Instant::toEpochMilli).map(ms -> ms / 1000.0).orElse(Double.NaN);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static void gauge(MeterRegistry registry, String name, String description, String mapping,
            SyncEngine engine, ToDoubleFunction<SyncEngine> value) {
        Gauge.builder(name, engine, value).description(description).tag(Metrics.MAPPING, mapping)
                .strongReference(true).register(registry);
    }
}
