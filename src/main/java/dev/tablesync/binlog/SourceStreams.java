package dev.tablesync.binlog;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The binlog streams of this process: one per source server, whatever the number of mappings and connection names
 * that reach it (keyed by the server's identity), opened by the first subscriber and closed by the last.
 */
public final class SourceStreams implements AutoCloseable {

    private final Map<String, SourceStream> byServer = new HashMap<>();

    /** Subscribes to the stream of {@code endpoint}'s server, starting it if it is the first subscriber. */
    public synchronized SourceStream join(StreamEndpoint endpoint, BinlogSubscriber subscriber) throws IOException {
        SourceStream stream = byServer.computeIfAbsent(endpoint.server(), s -> new SourceStream(endpoint));
        stream.subscribe(subscriber);
        stream.start();
        return stream;
    }

    public synchronized void leave(String server, BinlogSubscriber subscriber) throws IOException {
        SourceStream stream = byServer.get(server);
        if (stream != null) {
            stream.unsubscribe(subscriber);
            if (!stream.hasSubscribers()) {
                byServer.remove(server);
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        for (SourceStream stream : byServer.values()) {
            stream.close();
        }
        byServer.clear();
    }
}
