package dev.tablesync.binlog;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The binlog streams of this process: one per source server, whatever the number of mappings and connection names
 * that reach it (keyed by the server's identity), opened by the first subscriber and closed by the last.
 */
public final class SourceStreams implements AutoCloseable {

    private final Map<String, SourceStream> byServer = new HashMap<>();
    private final Consumer<SourceStream> opened;
    private final Consumer<SourceStream> closed;

    public SourceStreams() {
        this(s -> { }, s -> { });
    }

    /**
     * @param opened told of each stream when it is created (e.g. to publish its meters, see
     *               {@code metrics.StreamMeters})
     * @param closed told of each stream when its last subscriber left or the streams closed
     */
    public SourceStreams(Consumer<SourceStream> opened, Consumer<SourceStream> closed) {
        this.opened = opened;
        this.closed = closed;
    }

    /**
     * Subscribes to the stream of {@code endpoint}'s server, starting it if it is the first subscriber. A
     * subscriber whose position is no longer on the server is told so ({@link BinlogSubscriber#failed}) before
     * this returns; the stream goes on for the others.
     *
     * @throws IllegalStateException when another client uses the endpoint's {@code server_id}
     */
    public synchronized SourceStream join(StreamEndpoint endpoint, BinlogSubscriber subscriber) throws IOException {
        SourceStream stream = byServer.get(endpoint.server());
        if (stream == null) {
            stream = new SourceStream(endpoint);
            byServer.put(endpoint.server(), stream);
            opened.accept(stream);
        }
        stream.subscribe(subscriber);
        try {
            stream.start();
        } catch (IOException | RuntimeException e) {
            stream.unsubscribe(subscriber);
            if (!stream.hasSubscribers()) {
                byServer.remove(endpoint.server());
                closed.accept(stream);
            }
            throw e;
        }
        return stream;
    }

    public synchronized void leave(String server, BinlogSubscriber subscriber) throws IOException {
        SourceStream stream = byServer.get(server);
        if (stream != null) {
            stream.unsubscribe(subscriber);
            if (!stream.hasSubscribers()) {
                byServer.remove(server);
                closed.accept(stream);
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        for (SourceStream stream : byServer.values()) {
            stream.close();
            closed.accept(stream);
        }
        byServer.clear();
    }
}
