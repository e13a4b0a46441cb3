package dev.tablesync.sync;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import dev.tablesync.binlog.BinlogPosition;
import dev.tablesync.binlog.ClientServerId;
import dev.tablesync.binlog.SourceStreams;
import dev.tablesync.binlog.StreamEndpoint;

/**
 * The apply sessions of this process's binlog mappings: the shared streams they join, how long one session lasts,
 * and the subscription a session that ended only because its time was up hands to the next session of its mapping.
 *
 * <p>A session ends after {@link #length()} so that each run record covers a bounded stretch and the next session
 * reads the pause flag and the table definitions again. Its successor starts at once ({@link #continuing}), on the
 * same thread, still holding the mapping's claim, and takes over the subscription: the stream is not restarted for
 * the other mappings on the source, and what the stream handed over in between waits in the queue, so following
 * never pauses for the length of a schedule.
 */
final class ApplySessions implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ApplySessions.class);
    /** How long one apply session lasts before the next one takes over its subscription. */
    static final Duration SESSION = Duration.ofMinutes(5);

    /** A subscription left for the next session: the queue stays on the stream and keeps filling. */
    private record Held(String server, LogQueue queue, BinlogPosition reached) {
    }

    private final SourceStreams streams;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private volatile Duration length = SESSION;

    private final ClientServerId clientId;

    /** With the {@code server_id} derived from this host's name. */
    ApplySessions(SourceStreams streams) {
        this(streams, ClientServerId.ofThisHost());
    }

    /** @param clientId the {@code server_id} this process's streams present to every source */
    ApplySessions(SourceStreams streams, ClientServerId clientId) {
        this.streams = streams;
        this.clientId = clientId;
    }

    ClientServerId clientId() {
        return clientId;
    }

    SourceStreams streams() {
        return streams;
    }

    Duration length() {
        return length;
    }

    /** Shorter sessions, for tests of what happens at their end. */
    void length(Duration value) {
        length = value;
    }

    /**
     * The subscription the mapping's previous session left, when it continues exactly at {@code from} on
     * {@code server}; otherwise (another replica applied meanwhile, another server) that subscription is given up.
     */
    Optional<LogQueue> take(String mappingId, String server, BinlogPosition from) {
        Held h = held.remove(mappingId);
        if (h == null) {
            return Optional.empty();
        }
        if (h.server().equals(server) && same(h.reached(), from)) {
            return Optional.of(h.queue());
        }
        LOG.debugf("Mapping %s: the kept binlog subscription stands at %s, the checkpoint at %s: joining again",
                mappingId, h.reached(), from);
        leave(mappingId, h);
        return Optional.empty();
    }

    /** The same point (GTID sets compare as sets, whatever their text); false for positions of other servers. */
    private static boolean same(BinlogPosition a, BinlogPosition b) {
        try {
            return a.includes(b) && b.includes(a) && a.server().equals(b.server());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A session ended because its time was up, with everything before {@code reached} committed. */
    void hold(String mappingId, String server, LogQueue queue, BinlogPosition reached) {
        Held previous = held.put(mappingId, new Held(server, queue, reached));
        if (previous != null) {
            leave(mappingId, previous);
        }
    }

    /**
     * Runs {@code session} and, while each ends only because its time was up, the next one right away; gives up a
     * subscription nobody took over (the next run was paused, failed before following, or did not start).
     *
     * @return the last session's result
     */
    RunResult continuing(String mappingId, Supplier<RunResult> session, BooleanSupplier stopping) {
        try {
            while (true) {
                Held before = held.get(mappingId);
                RunResult result = session.get();
                Held after = held.get(mappingId);
                // Only a session that left a subscription of its own continues: one that did not take the
                // previous session's (paused, failed before following) ends the line.
                if (after == null || after == before || stopping.getAsBoolean() || !result.succeeded()) {
                    return result;
                }
            }
        } finally {
            Held left = held.remove(mappingId);
            if (left != null) {
                leave(mappingId, left);
            }
        }
    }

    private void leave(String mappingId, Held h) {
        h.queue().close();
        try {
            streams.leave(h.server(), h.queue());
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Mapping %s: leaving the binlog stream: %s", mappingId, e.getMessage());
        }
    }

    /** Joins {@code endpoint}'s shared stream with {@code queue}. */
    void join(StreamEndpoint endpoint, LogQueue queue) throws IOException {
        streams.join(endpoint, queue);
    }

    @Override
    public void close() throws IOException {
        held.values().forEach(h -> h.queue().close());
        held.clear();
        streams.close();
    }
}
