package dev.tablesync.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.github.shyiko.mysql.binlog.network.SSLMode;

import dev.tablesync.binlog.ClientServerId;
import dev.tablesync.binlog.SourceStream;
import dev.tablesync.binlog.StreamEndpoint;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The stream meters' names, tag and values before the stream connects, on a plain registry (the live values are
 * checked against a real source in {@code SourceStreamTest}; no {@code /q/metrics} test: no stream runs in the
 * application until binlog mappings are wired).
 */
class StreamMetersTest {

    @Test
    void shouldPublishEachStreamsMetersTaggedByHostAndPortWhileItExists() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StreamMeters meters = new StreamMeters(registry);
        SourceStream stream = new SourceStream(new StreamEndpoint("mysql:3e11fa47-71ca-11e1-9e33-c80aa9429562",
                "db-1", 3306, "repl", "secret", SSLMode.PREFERRED, new ClientServerId(3_000_000_001L)));
        meters.opened(stream);
        List<String> names = registry.getMeters().stream().map(m -> m.getId().getName()).sorted().toList();
        assertEquals(Metrics.PER_SOURCE.stream().sorted().toList(), names);
        for (Meter m : registry.getMeters()) {
            assertEquals("db-1:3306", m.getId().getTag(Metrics.SOURCE), m.getId().toString());
            assertEquals(1, m.getId().getTags().size(), "no user or password in a tag: " + m.getId());
        }
        assertEquals(0.0, registry.get(Metrics.BINLOG_STREAM_CONNECTED).gauge().value());
        assertTrue(Double.isNaN(registry.get(Metrics.BINLOG_BYTES_BEHIND).gauge().value()), "unknown until connected");
        assertEquals(0.0, registry.get(Metrics.BINLOG_EVENTS).functionCounter().count());
        assertEquals(0.0, registry.get(Metrics.BINLOG_RECONNECTS).functionCounter().count());
        meters.closed(stream);
        assertEquals(List.of(), registry.getMeters());
    }
}
