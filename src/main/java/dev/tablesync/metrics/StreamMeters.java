package dev.tablesync.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.tablesync.binlog.SourceStream;
import dev.tablesync.binlog.StreamStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The meters of each binlog stream, tagged {@value Metrics#SOURCE} = {@code host:port}: connected, events
 * received, bytes behind, reconnects. Published while the stream exists: pass {@link #opened} and {@link #closed}
 * to {@code SourceStreams}.
 */
@ApplicationScoped
public class StreamMeters {

    private final MeterRegistry registry;
    private final Map<SourceStream, List<Meter>> meters = new HashMap<>();

    @Inject
    public StreamMeters(MeterRegistry registry) {
        this.registry = registry;
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
