package dev.tablesync.metrics;

import java.util.Optional;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tablesync.config.Mapping;
import dev.tablesync.sync.SyncEngine;
import dev.tablesync.verify.VerifyReport;
import dev.tablesync.verify.VerifyService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/** The verify gauges of each mapping, read from its last verify report on each scrape: no database access. */
@ApplicationScoped
public class VerifyGauges {

    void register(@Observes StartupEvent event, SyncEngine engine, VerifyService verify, MeterRegistry registry) {
        for (Mapping m : engine.mappings()) {
            String id = m.id();
            gauge(registry, Metrics.VERIFY_MISMATCHED_ROWS, "Rows that differed in the last verify: missing, extra"
                    + " or different", id, verify, r -> r.mismatches());
            gauge(registry, Metrics.VERIFY_UNREPAIRED_ROWS, "Differences the last verify left on the target", id,
                    verify, r -> r.unrepaired());
            gauge(registry, Metrics.LAST_VERIFY, "When the last verify ended, Unix time", id, verify,
                    r -> r.startedAt().plus(r.duration()).toEpochMilli() / 1000.0);
        }
    }

    private static void gauge(MeterRegistry registry, String name, String description, String mapping,
            VerifyService verify, ToDoubleFunction<VerifyReport> value) {
        ToDoubleFunction<VerifyService> read = v -> {
            Optional<VerifyReport> last = v.last(mapping);
            return last.map(value::applyAsDouble).orElse(Double.NaN);
        };
        Gauge.builder(name, verify, read).description(description).tag(Metrics.MAPPING, mapping)
                .strongReference(true).register(registry);
    }
}
