package dev.tablesync.metrics;

import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tablesync.sql.DataSources;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Agroal pool gauges per connection: lent out, idle, waiters, maximum. The pools are built by
 * {@link DataSources}, not by Quarkus, so their metrics are switched on here (Agroal reports zeros
 * otherwise); that costs a counter update per connection acquired.
 */
@ApplicationScoped
public class PoolGauges {

    void register(@Observes StartupEvent event, DataSources dataSources, MeterRegistry registry) {
        dataSources.pools().forEach((name, pool) -> {
            pool.getConfiguration().setMetricsEnabled(true);
            gauge(registry, Metrics.POOL_ACTIVE, "Connections lent out now", name, pool,
                    p -> p.getMetrics().activeCount());
            gauge(registry, Metrics.POOL_AVAILABLE, "Idle connections ready to be lent", name, pool,
                    p -> p.getMetrics().availableCount());
            gauge(registry, Metrics.POOL_AWAITING, "Threads waiting for a connection", name, pool,
                    p -> p.getMetrics().awaitingCount());
            gauge(registry, Metrics.POOL_MAX, "Most connections the pool may open", name, pool,
                    p -> p.getConfiguration().connectionPoolConfiguration().maxSize());
        });
    }

    private static void gauge(MeterRegistry registry, String name, String description, String connection,
            AgroalDataSource pool, ToDoubleFunction<AgroalDataSource> value) {
        Gauge.builder(name, pool, value).description(description).tag(Metrics.CONNECTION, connection)
                .strongReference(true).register(registry);
    }
}
