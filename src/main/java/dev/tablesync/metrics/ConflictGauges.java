package dev.tablesync.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.tablesync.config.Mapping;
import dev.tablesync.conflict.ParkedConflicts;
import dev.tablesync.sync.RunResult;
import dev.tablesync.sync.SyncEngine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * {@value Metrics#CONFLICTS_PARKED} of each mapping, read on each scrape from the count kept by
 * {@link ParkedConflicts}, which is counted again after every run of a park mapping (one indexed
 * {@code COUNT} on the target, on the run's thread) and after every resolution.
 */
@ApplicationScoped
public class ConflictGauges {

    private static final Logger LOG = Logger.getLogger(ConflictGauges.class);

    void register(@Observes StartupEvent event, SyncEngine engine, ParkedConflicts conflicts, MeterRegistry registry) {
        for (Mapping m : engine.mappings()) {
            String id = m.id();
            Gauge.builder(Metrics.CONFLICTS_PARKED, conflicts, c -> parked(c, id))
                    .description("Rows parked by conflict policy park, waiting for a person to resolve them")
                    .tag(Metrics.MAPPING, id).strongReference(true).register(registry);
        }
    }

    /** 0 for mappings under other policies; NaN for a park mapping not counted yet since start-up. */
    static double parked(ParkedConflicts conflicts, String id) {
        if (!conflicts.parks(id)) {
            return 0;
        }
        java.util.OptionalLong n = conflicts.parked(id);
        return n.isPresent() ? n.getAsLong() : Double.NaN;
    }

    /** Never fails the run: a count that fails keeps the last one. */
    void onRun(@Observes RunResult result, ParkedConflicts conflicts) {
        if (!conflicts.parks(result.mappingId()) || result.skippedBecausePaused()) {
            return;
        }
        try {
            conflicts.refresh(result.mappingId());
        } catch (RuntimeException e) {
            LOG.debugf(e, "Mapping %s: parked rows not counted", result.mappingId());
        }
    }
}
