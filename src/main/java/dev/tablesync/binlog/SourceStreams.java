package dev.tablesync.binlog;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

/**
 * The binlog streams of this process: one per source server, whatever the number of mappings and connection names
 * that reach it (keyed by the server's identity), opened by the first subscriber and closed by the last. A mapping
 * behind a running stream (it joined behind it, or was too slow and was detached) reads on a private stream of its
 * own until it is level with the shared one ({@link CatchUp}); the shared stream is never restarted or held back
 * for it.
 */
public final class SourceStreams implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SourceStreams.class);

    private final Map<String, SourceStream> byServer = new HashMap<>();
    /** Subscribers on a private stream, by subscriber. */
    private final Map<BinlogSubscriber, CatchUp> catchUps = new HashMap<>();
    /** Detached subscribers whose private stream is about to start (dropped if they leave first). */
    private final Set<BinlogSubscriber> detaching = ConcurrentHashMap.newKeySet();
    /** Starts and closes private streams off the streams' threads, which hold locks of their own. */
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tablesync-binlog-catch-up");
        t.setDaemon(true);
        return t;
    });
    private Consumer<SourceStream> opened;
    private Consumer<SourceStream> closed;

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
     * From now on {@code opened} and {@code closed} are told of the shared streams (e.g. to publish their meters,
     * see {@code metrics.StreamMeters}); {@code opened} hears of those running already at once.
     */
    public synchronized void observe(Consumer<SourceStream> opened, Consumer<SourceStream> closed) {
        this.opened = opened;
        this.closed = closed;
        byServer.values().forEach(opened);
    }

    /**
     * Subscribes to the stream of {@code endpoint}'s server, starting it if it is the first subscriber; one that
     * is behind a running stream starts a private stream of its own instead (see {@link CatchUp}), which never
     * restarts the shared one. A subscriber whose position is no longer on the server is told so
     * ({@link BinlogSubscriber#failed}) before this returns; the stream goes on for the others.
     *
     * @throws IllegalStateException when another client uses the endpoint's {@code server_id}
     */
    public synchronized SourceStream join(StreamEndpoint endpoint, BinlogSubscriber subscriber) throws IOException {
        SourceStream stream = byServer.get(endpoint.server());
        if (stream != null) {
            if (!stream.subscribe(subscriber)) {
                catchUp(stream, new Subscribers.Detached(subscriber, subscriber.position(), 0));
            }
            return stream;
        }
        String server = endpoint.server();
        stream = new SourceStream(endpoint, d -> {
            detaching.add(d.subscriber());
            try {
                background.execute(() -> detached(server, d));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                detaching.remove(d.subscriber()); // closing
            }
        });
        byServer.put(server, stream);
        opened.accept(stream);
        stream.subscribe(subscriber);
        try {
            stream.start();
        } catch (IOException | RuntimeException e) {
            stream.unsubscribe(subscriber);
            if (!stream.hasSubscribers()) {
                byServer.remove(server);
                closed.accept(stream);
            }
            throw e;
        }
        return stream;
    }

    /** A subscriber the shared stream of {@code server} detached: it catches up on its own unless it left. */
    private synchronized void detached(String server, Subscribers.Detached d) {
        SourceStream stream = byServer.get(server);
        if (!detaching.remove(d.subscriber()) || stream == null) {
            return;
        }
        try {
            catchUp(stream, d);
        } catch (IOException | RuntimeException e) {
            d.subscriber().failed(e);
        }
    }

    private void catchUp(SourceStream shared, Subscribers.Detached d) throws IOException {
        CatchUp c = new CatchUp(shared, d, this::merged);
        SourceStream own = c.stream();
        LOG.infof("Mapping %s is behind the shared binlog stream of %s: it catches up from %s on a stream of its own"
                + " (server_id %s)", d.subscriber().mappingId(), shared.endpoint(), d.from(),
                own.endpoint().serverId());
        own.subscribe(c);
        try {
            own.start();
        } catch (IOException | RuntimeException e) {
            own.close();
            throw e;
        }
        if (!own.hasSubscribers()) {
            own.close(); // its position is gone: told so already
            return;
        }
        catchUps.put(d.subscriber(), c);
    }

    /** Called on the private stream's thread: it is closed from another. */
    private void merged(CatchUp c) {
        try {
            background.execute(() -> {
                synchronized (this) {
                    if (catchUps.remove(c.subscriber(), c)) {
                        closeQuietly(c.stream());
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: every stream is closed anyway
        }
    }

    public synchronized void leave(String server, BinlogSubscriber subscriber) throws IOException {
        detaching.remove(subscriber);
        CatchUp c = catchUps.remove(subscriber);
        if (c != null) {
            c.stream().close();
        }
        SourceStream stream = byServer.get(server);
        if (stream != null) {
            stream.unsubscribe(subscriber);
            if (!stream.hasSubscribers()) {
                byServer.remove(server);
                closed.accept(stream);
            }
        }
    }

    private static void closeQuietly(SourceStream stream) {
        try {
            stream.close();
        } catch (IOException | RuntimeException e) {
            LOG.debugf("closing a binlog stream that caught up: %s", e.getMessage());
        }
    }

    @Override
    public synchronized void close() throws IOException {
        for (CatchUp c : catchUps.values()) {
            closeQuietly(c.stream());
        }
        catchUps.clear();
        detaching.clear();
        for (SourceStream stream : byServer.values()) {
            stream.close();
            closed.accept(stream);
        }
        byServer.clear();
        background.shutdownNow();
    }
}
