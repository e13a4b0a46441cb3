package dev.tablesync.binlog;

import java.time.Instant;

/**
 * A binlog mapping as a {@link SourceStream} sees it: where it stands, which tables it follows, and what it is
 * handed. Calls come from the stream's one thread, in log order; a subscriber is only handed source transactions
 * that its position does not include yet, and all of one transaction's changes before that transaction's commit.
 */
public interface BinlogSubscriber {

    /** The mapping's id, for messages that name the mapping and its configuration keys. */
    default String mappingId() {
        return "<id>";
    }

    /** Everything up to here is applied; read when the subscriber joins the stream. */
    BinlogPosition position();

    /** Whether changes of {@code schema.table} are this subscriber's. */
    boolean follows(String schema, String table);

    /**
     * A statement (DDL) in the current source transaction may have changed the definition of a followed table:
     * rows after it are written under another definition. Called before that transaction's {@link #commit}.
     */
    default void definitionChanged(String statement) {
    }

    /**
     * Whether {@code statement} (a DDL run with {@code database} as default schema) may change a followed table's
     * definition; when in doubt, true.
     */
    default boolean mayChange(String database, String statement) {
        return false;
    }

    /**
     * Whether one more item ({@link #change}, {@link #commit}, {@link #definitionChanged}) would be taken without
     * waiting, after waiting up to {@code millis} for room. A shared stream detaches a subscriber that answers
     * false: it catches up on a stream of its own and is merged back once level with the shared one, so a slow
     * mapping does not hold back the others.
     */
    default boolean awaitRoom(long millis) {
        return true;
    }

    /** A changed row of a followed table, inside the current source transaction. */
    void change(RowChange change);

    /**
     * The current source transaction committed: apply what it was handed and save {@code after} with it. Also called
     * for transactions without changes of a followed table, so that an idle mapping's position (and lag) moves,
     * and about once a second while the source is idle, with the position unchanged and the server's time at
     * which the stream had read the whole log: the mapping is complete up to then, so its lag stays near zero.
     */
    void commit(BinlogPosition after, Instant sourceCommitTime);

    /**
     * The stream lost its connection inside a source transaction: forget the changes handed since the last commit;
     * they come again once the stream has reconnected.
     */
    void rollback();

    /**
     * The stream stopped serving this subscriber on an error it cannot recover from: a
     * {@link dev.tablesync.sql.BinlogGapException} when its position is no longer on the server (the subscriber
     * has then left the stream; the others carry on), an {@code IllegalStateException} when another client took the
     * stream's {@code server_id}. May be called from inside {@link SourceStreams#join}, or on the stream's thread
     * while it holds the stream's locks: hand the failure to another thread before leaving the stream
     * ({@link SourceStreams#leave}), never leave from inside this call.
     */
    void failed(Exception cause);
}
