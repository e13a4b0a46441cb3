package dev.tablesync.binlog;

import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;

/**
 * The one binlog connection of this process to one source server, shared by every binlog mapping on that server:
 * a source with twenty mapped tables sends its log once, not twenty times. It starts from the oldest position among
 * its subscribers and hands each only what it has not applied yet (see {@link EventDispatch}).
 *
 * <p>Before each connection it asks the server (over a plain connection of its own, {@link SourceControl}) whether
 * every subscriber's position is still in the log; a subscriber whose position is gone fails alone with a
 * {@link dev.tablesync.sql.BinlogGapException}, and the others are served. The server's own answer to a lost
 * position, error 1236, is mapped the same way. Once a second it reads where the log ends and the server's
 * clock: when the stream has read that far, every subscriber is told it is complete up to that time, so an idle
 * source's lag stays near zero.
 *
 * <p>The library's own reconnect is off: it would resume from its own idea of the position, possibly inside a
 * transaction. After a lost connection the stream instead tells subscribers to forget the open transaction and
 * connects again from their positions, backing off from 0.5 s to 30 s while it fails.
 */
public final class SourceStream implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SourceStream.class);
    private static final long CONNECT_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(30);
    /** The server sends a heartbeat after this long without events, so a silent network failure is noticed. */
    private static final long HEARTBEAT_MS = TimeUnit.SECONDS.toMillis(1);
    private static final long TICK_MS = 1000;
    private static final long FIRST_RETRY_MS = 500;
    private static final long LAST_RETRY_MS = TimeUnit.SECONDS.toMillis(30);
    /** A connection that lasted this long was a good one: the next failure retries quickly again. */
    private static final long STABLE_MS = TimeUnit.SECONDS.toMillis(10);

    private final StreamEndpoint endpoint;
    private final StreamStats stats = new StreamStats();
    private final EventDispatch dispatch;
    private final SourceControl control;
    private ScheduledExecutorService scheduler;
    private BinaryLogClient client;
    private int generation;
    /** When the current connection was opened ({@code System.nanoTime()}); 0 after an attempt that failed. */
    private volatile long connectedAt;
    /** Connections in a row that failed or ended within {@value #STABLE_MS} ms: the retry pause doubles with each. */
    private final AtomicInteger failures = new AtomicInteger();

    public SourceStream(StreamEndpoint endpoint) {
        this(endpoint, null);
    }

    /**
     * @param detach told (on the stream's thread, holding its locks: hand it on) of each subscriber that was too
     *               slow and left; null: the stream waits for slow subscribers (a stream that catches up)
     */
    SourceStream(StreamEndpoint endpoint, java.util.function.Consumer<Subscribers.Detached> detach) {
        this.endpoint = endpoint;
        this.dispatch = new EventDispatch(stats, detach);
        this.control = new SourceControl(endpoint, dispatch);
    }

    public StreamEndpoint endpoint() {
        return endpoint;
    }

    public StreamStats stats() {
        return stats;
    }

    /**
     * Adds a subscriber: to a stream not started yet, to one between connections (the next one starts from the
     * oldest position), or to a connected one that has read nothing the subscriber still needs. False when the
     * stream has passed the subscriber's position: it was not added, and is served by a {@link CatchUp} (the
     * stream is never restarted for it). A subscriber whose position is no longer on the server is told so
     * ({@link BinlogSubscriber#failed}) when the stream connects.
     */
    public synchronized boolean subscribe(BinlogSubscriber subscriber) {
        if (scheduler != null && client != null) {
            return dispatch.admit(subscriber, subscriber.position());
        }
        dispatch.add(subscriber);
        if (scheduler != null) {
            // Started, but not connected: every subscriber failed, or it is between attempts; connect now.
            try {
                connect(null);
            } catch (IOException | RuntimeException e) {
                LOG.warnf("binlog stream of %s could not connect for a new subscriber (%s); retrying", endpoint,
                        e.getMessage());
                int current = generation;
                schedule(() -> reconnect(current, e), retryDelay());
            }
        }
        return true;
    }

    /** Adds {@code subscriber} at {@code at} when the stream has read nothing it still needs (see {@link CatchUp}). */
    boolean admit(BinlogSubscriber subscriber, BinlogPosition at) {
        return dispatch.admit(subscriber, at);
    }

    /** Removes a subscriber; the last one to leave closes the connection. */
    public synchronized void unsubscribe(BinlogSubscriber subscriber) throws IOException {
        dispatch.remove(subscriber);
        if (dispatch.isEmpty()) {
            close();
        }
    }

    public synchronized boolean hasSubscribers() {
        return !dispatch.isEmpty();
    }

    public synchronized boolean isConnected() {
        return client != null && client.isConnected();
    }

    /**
     * Claims the client's {@code server_id} on the source, checks the subscribers' positions and connects from the
     * oldest; returns once the server accepted the dump request.
     *
     * @throws IllegalStateException when another client uses the {@code server_id} (see {@link ServerIdClaim})
     */
    public synchronized void start() throws IOException {
        if (scheduler != null) {
            return;
        }
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tablesync-binlog " + endpoint.host() + ":" + endpoint.port());
            t.setDaemon(true);
            return t;
        });
        try {
            scheduler = s;
            connect(null);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        s.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** Gap check, then the connection; none when no subscriber is left. {@code lost}: why the last one ended. */
    private void connect(Exception lost) throws IOException {
        SourceLog log;
        try {
            log = control.check(lost);
        } catch (SQLException e) {
            throw new IOException("cannot read the binlog state of " + endpoint + ": " + e.getMessage(), e);
        }
        if (dispatch.isEmpty()) {
            control.close(); // every subscriber failed: nothing to stream, no id to hold
            return;
        }
        BinlogPosition from = dispatch.oldest();
        int connection = dispatch.open(log.server(), from);
        BinaryLogClient c = new BinaryLogClient(endpoint.host(), endpoint.port(), endpoint.user(), endpoint.password());
        c.setServerId(endpoint.serverId().value());
        c.setSSLMode(endpoint.sslMode());
        c.setKeepAlive(false);
        c.setHeartbeatInterval(HEARTBEAT_MS);
        c.setEventDeserializer(RowDeserializers.create());
        if (from.gtids().isPresent() && log.written().isPresent()) {
            c.setGtidSet(from.gtids().get().text());
        } else {
            c.setBinlogFilename(from.file());
            c.setBinlogPosition(from.offset());
        }
        Session session = new Session(connection);
        c.registerEventListener(session);
        c.registerLifecycleListener(session);
        try {
            c.connect(CONNECT_TIMEOUT_MS);
        } catch (TimeoutException e) {
            throw new IOException("binlog stream of " + endpoint + " did not connect within 30 s", e);
        }
        client = c;
        generation = connection;
        connectedAt = System.nanoTime();
        stats.connected(true);
    }

    /** The connection of {@code connection} ended by itself: connect again after a pause that grows while it fails. */
    private synchronized void reconnect(int connection, Exception lost) {
        if (scheduler == null || connection != generation) {
            return; // closed, or already connected again
        }
        disconnect();
        try {
            connect(lost);
            if (client != null) {
                stats.reconnected();
                LOG.infof("binlog stream of %s connected again after %s", endpoint, describe(lost));
            }
        } catch (IOException | RuntimeException e) {
            connectedAt = 0;
            long delay = retryDelay();
            LOG.warnf("binlog stream of %s could not connect again (%s); next attempt in %d ms", endpoint,
                    e.getMessage(), delay);
            generation = connection;
            schedule(() -> reconnect(connection, lost), delay);
        }
    }

    /**
     * The pause before the next attempt: 0.5 s after a connection that lasted, then doubling up to 30 s while
     * attempts fail or connections end at once (a server that accepts the dump request and then refuses it).
     */
    private long retryDelay() {
        long since = connectedAt;
        if (since != 0 && System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(STABLE_MS)) {
            failures.set(0);
        }
        return Math.min(LAST_RETRY_MS, FIRST_RETRY_MS << Math.min(failures.getAndIncrement(), 6));
    }

    private static String describe(Exception lost) {
        return lost == null ? "a disconnect" : lost.getClass().getSimpleName() + ": " + lost.getMessage();
    }

    /**
     * Once a second: where the log ends now, so that an idle stream moves its subscribers' source time. The
     * dispatch is told outside the stream's lock: it may wait for a subscriber busy applying a transaction.
     */
    private void tick() {
        int connection;
        SourceLog log;
        synchronized (this) {
            if (client == null) {
                return;
            }
            connection = generation;
            try {
                log = control.read();
            } catch (SQLException | RuntimeException e) {
                LOG.debugf("binlog stream of %s: reading where the log ends failed: %s", endpoint, e.getMessage());
                return;
            }
        }
        dispatch.idleMark(connection, log);
    }

    private void schedule(Runnable task, long delayMs) {
        try {
            scheduler.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException | NullPointerException e) {
            // closed meanwhile
        }
    }

    /** Ends the current connection on purpose: its open transaction is rolled back, its late events dropped. */
    private void disconnect() {
        BinaryLogClient c = client;
        client = null;
        stats.connected(false);
        dispatch.open("");
        if (c != null) {
            try {
                c.disconnect();
            } catch (IOException e) {
                LOG.debugf("closing the binlog connection to %s: %s", endpoint, e.getMessage());
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        disconnect();
        control.close();
    }

    /** One connection's listener: forwards what the library reports while that connection is the current one. */
    private final class Session extends BinaryLogClient.AbstractLifecycleListener
            implements BinaryLogClient.EventListener {

        private final int connection;
        private volatile Exception lost;

        Session(int connection) {
            this.connection = connection;
        }

        @Override
        public void onEvent(Event event) {
            dispatch.onEvent(connection, event);
        }

        @Override
        public void onCommunicationFailure(BinaryLogClient failed, Exception ex) {
            lost = ex;
        }

        @Override
        public void onEventDeserializationFailure(BinaryLogClient failed, Exception ex) {
            dispatch.fail(connection, ex);
        }

        @Override
        public void onDisconnect(BinaryLogClient disconnected) {
            if (dispatch.closed(connection)) {
                stats.connected(false);
                schedule(() -> reconnect(connection, lost), retryDelay());
            }
        }
    }
}
