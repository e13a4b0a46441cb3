package dev.tablesync.binlog;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.github.shyiko.mysql.binlog.BinaryLogClient;

/**
 * The one binlog connection of this process to one source server, shared by every binlog mapping on that server:
 * a source with twenty mapped tables sends its log once, not twenty times. It starts from the oldest position among
 * its subscribers and hands each only what it has not applied yet (see {@link EventDispatch}).
 *
 * <p>The library's own reconnect is off: it would resume from its own idea of the position, possibly inside a
 * transaction. After a lost connection the stream instead tells subscribers to forget the open transaction and
 * starts again from their positions.
 */
public final class SourceStream implements AutoCloseable {

    private static final long CONNECT_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(30);
    /** The server sends a heartbeat when idle, so a silent network failure is noticed. */
    private static final long HEARTBEAT_MS = TimeUnit.SECONDS.toMillis(5);

    private final StreamEndpoint endpoint;
    private final EventDispatch dispatch = new EventDispatch();
    private BinaryLogClient client;

    public SourceStream(StreamEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    public StreamEndpoint endpoint() {
        return endpoint;
    }

    /**
     * Adds a subscriber. On a running stream that has already passed the subscriber's position the stream
     * reconnects from the oldest position; subscribers that are ahead skip what they have.
     */
    public synchronized void subscribe(BinlogSubscriber subscriber) throws IOException {
        dispatch.add(subscriber);
        if (client != null) {
            restart();
        }
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

    /** Connects from the oldest subscriber position; returns once the server accepted the dump request. */
    public synchronized void start() throws IOException {
        if (client != null) {
            return;
        }
        BinlogPosition from = dispatch.oldest();
        BinaryLogClient c = new BinaryLogClient(endpoint.host(), endpoint.port(), endpoint.user(), endpoint.password());
        c.setServerId(endpoint.serverId().value());
        c.setSSLMode(endpoint.sslMode());
        c.setKeepAlive(false);
        c.setHeartbeatInterval(HEARTBEAT_MS);
        c.setEventDeserializer(RowDeserializers.create());
        if (from.gtids().isPresent()) {
            c.setGtidSet(from.gtids().get().text());
        } else {
            c.setBinlogFilename(from.file());
            c.setBinlogPosition(from.offset());
        }
        c.registerEventListener(dispatch);
        c.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onCommunicationFailure(BinaryLogClient failed, Exception ex) {
                dispatch.fail(ex);
            }

            @Override
            public void onEventDeserializationFailure(BinaryLogClient failed, Exception ex) {
                dispatch.fail(ex);
            }

            @Override
            public void onDisconnect(BinaryLogClient disconnected) {
                dispatch.reset();
            }
        });
        try {
            c.connect(CONNECT_TIMEOUT_MS);
        } catch (TimeoutException e) {
            throw new IOException("binlog stream of " + endpoint + " did not connect within 30 s", e);
        }
        client = c;
    }

    private void restart() throws IOException {
        close();
        start();
    }

    @Override
    public synchronized void close() throws IOException {
        if (client != null) {
            BinaryLogClient c = client;
            client = null;
            c.disconnect();
        }
    }
}
