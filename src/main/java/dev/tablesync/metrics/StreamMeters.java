package dev.tablesync.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.tablesync.binlog.SourceStream;
import dev.tablesync.binlog.SourceStreams;
import dev.tablesync.binlog.StreamStats;
import dev.tablesync.sync.SyncEngine;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * The meters of each binlog stream, tagged {@value Metrics#SOURCE} = {@code host:port}: connected, events
 * received, bytes behind, reconnects. Published while the stream exists: at start-up it observes the engine's
 * streams ({@link SourceStreams#observe}); private streams of mappings catching up have none.
 */
@ApplicationScoped
public class StreamMeters {

    private final MeterRegistry registry;
    private final Map<SourceStream, List<Meter>> meters = new HashMap<>();

    @Inject
    public StreamMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Publishes the meters of the engine's shared streams from start-up on. */
    void onStart(@Observes StartupEvent event, SyncEngine engine) {
        engine.binlogStreams().observe(this::opened, this::closed);
    }

    public synchronized void opened(SourceStream stream) {
        String source = stream.endpoint().host() + ":" + stream.endpoint().port();
        StreamStats stats = stream.stats();
        List<Meter> list = new ArrayList<>();
        list.add(Gauge.builder(Metrics.BINLOG_STREAM_CONNECTED, stats, StreamStats::connected)
                .description("1 while the binlog stream of the source is connected").tag(Metrics.SOURCE, source)
                .strongReference(true).register(registry));
        list.add(FunctionCounter.builder(Metrics.BINLOG_EVENTS, stats, StreamStats::events)
                .description("Binlog events received").tag(Metrics.SOURCE, source).register(registry));
        list.add(Gauge.builder(Metrics.BINLOG_BYTES_BEHIND, stats, StreamStats::bytesBehind)
                .description("Bytes of the source's binlog not read yet").tag(Metrics.SOURCE, source)
                .strongReference(true).register(registry));
        list.add(FunctionCounter.builder(Metrics.BINLOG_RECONNECTS, stats, StreamStats::reconnects)
                .description("Binlog connections opened again after one was lost").tag(Metrics.SOURCE, source)
                .register(registry));
        meters.put(stream, list);
    }

    public synchronized void closed(SourceStream stream) {
        List<Meter> list = meters.remove(stream);
        if (list != null) {
            list.forEach(registry::remove);
        }
    }
}
