package dev.tablesync.binlog;

import java.time.Instant;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

/**
 * A mapping behind its source's shared stream (it joined behind it, or was too slow and detached), reading the log
 * on a stream of its own until it is level with the shared one, then merged back into it: the others are neither
 * restarted nor held back meanwhile. Stands between that private stream and the mapping's subscriber.
 *
 * <p>After each commit it asks the shared stream to admit the subscriber at the position reached
 * ({@link SourceStream#admit}); from then on the private stream's events are dropped and the shared stream hands
 * the subscriber only what that position lacks, so nothing is lost or handed twice. A subscriber detached inside a
 * transaction had been handed its first {@code skip} items already: the private stream, which starts at the
 * transaction's beginning, hands them again in the same order, and they are skipped.
 */
final class CatchUp implements BinlogSubscriber {

    private static final Logger LOG = Logger.getLogger(CatchUp.class);

    private final SourceStream shared;
    private final BinlogSubscriber subscriber;
    private final BinlogPosition from;
    private final Consumer<CatchUp> merged;
    private final SourceStream own;
    private int skip;
    private volatile boolean rejoined;

    /**
     * @param merged told (on the private stream's thread) once the subscriber is back on the shared stream, to
     *               close the private one
     */
    CatchUp(SourceStream shared, Subscribers.Detached detached, Consumer<CatchUp> merged) {
        this.shared = shared;
        this.subscriber = detached.subscriber();
        this.from = detached.from();
        this.skip = detached.skip();
        this.merged = merged;
        this.own = new SourceStream(shared.endpoint().forCatchUp(subscriber.mappingId()), null);
    }

    /** The private stream, started from the subscriber's position. */
    SourceStream stream() {
        return own;
    }

    BinlogSubscriber subscriber() {
        return subscriber;
    }

    boolean rejoined() {
        return rejoined;
    }

    @Override
    public String mappingId() {
        return subscriber.mappingId();
    }

    @Override
    public BinlogPosition position() {
        return from;
    }

    @Override
    public boolean follows(String schema, String table) {
        return subscriber.follows(schema, table);
    }

    @Override
    public boolean mayChange(String database, String statement) {
        return subscriber.mayChange(database, statement);
    }

    @Override
    public boolean awaitRoom(long millis) {
        return rejoined || subscriber.awaitRoom(millis);
    }

    @Override
    public void definitionChanged(String statement) {
        if (!rejoined && !skipped()) {
            subscriber.definitionChanged(statement);
        }
    }

    @Override
    public void change(RowChange change) {
        if (!rejoined && !skipped()) {
            subscriber.change(change);
        }
    }

    private boolean skipped() {
        if (skip > 0) {
            skip--;
            return true;
        }
        return false;
    }

    @Override
    public void commit(BinlogPosition after, Instant sourceCommitTime) {
        if (rejoined) {
            return;
        }
        skip = 0;
        subscriber.commit(after, sourceCommitTime);
        if (shared.admit(subscriber, after)) {
            rejoined = true;
            LOG.infof("Mapping %s caught up with the shared binlog stream of %s at %s and rejoined it",
                    subscriber.mappingId(), shared.endpoint(), after);
            merged.accept(this);
        }
    }

    /** The private stream lost its connection: the transaction comes again whole, what was skipped included. */
    @Override
    public void rollback() {
        if (!rejoined) {
            skip = 0;
            subscriber.rollback();
        }
    }

    @Override
    public void failed(Exception cause) {
        if (!rejoined) {
            subscriber.failed(cause);
        }
    }
}
