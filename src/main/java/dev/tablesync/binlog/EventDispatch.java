package dev.tablesync.binlog;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;

import dev.tablesync.schema.TableId;
import dev.tablesync.sql.BinlogDialect;

/**
 * Turns one connection's events into source transactions and hands each to the subscribers that have not applied
 * it yet, with the position right after its commit. Runs on the stream's thread; subscribers join and leave under
 * the stream's lock.
 *
 * <p>Each connection is a new {@link #open generation}: events and disconnects of an earlier connection, which the
 * library may still deliver after the stream moved on, are dropped. While the source is idle, {@link #idleMark}
 * tells every subscriber at once that it is complete up to the server's time, once the log has been read to
 * where it ended at that time and no transaction is open.
 */
final class EventDispatch {

    private final Map<Long, TableMapEventData> tables = new HashMap<>();
    private final StreamStats stats;
    private int generation;
    /** The identity of the server the current connection reads ({@link BinlogDialect#serverIdentity()}). */
    private String server = "";
    private String file = "";
    private long readOffset;
    private Optional<String> gtid = Optional.empty();
    private boolean inTransaction;
    private List<BinlogSubscriber> active = List.of();
    private SourceLog mark;
    /** Every transaction the current connection has read is included here; null while not connected. */
    private BinlogPosition streamPosition;
    private final Subscribers positions;

    EventDispatch(StreamStats stats) {
        this(stats, null);
    }

    /** @param detach see {@link Subscribers}; null: a private stream, which waits for its subscriber */
    EventDispatch(StreamStats stats, Consumer<Subscribers.Detached> detach) {
        this.stats = stats;
        this.positions = new Subscribers(detach);
    }

    /**
     * Adds {@code subscriber} at {@code from} to a connected stream without restarting it, between two transactions
     * only, when the stream has read nothing {@code from} lacks: {@code from} includes every transaction read
     * (compared by GTIDs, or by file and offset of the same server only). Never inside a transaction: who gets its
     * rows was decided at its start, and a subscriber admitted in its middle would be handed its remaining rows
     * again after having committed it (and a later detach would skip rows of the next one). The caller tries again
     * at its next commit or idle mark. A subscriber joining a stream that connected but has read nothing yet is
     * admitted too (it used to be sent to a private stream for nothing).
     */
    synchronized boolean admit(BinlogSubscriber subscriber, BinlogPosition from) {
        try {
            // Right after connecting (nothing read yet) the stream stands at where it started, which it knows.
            if (inTransaction || streamPosition == null || !from.includes(streamPosition)) {
                return false;
            }
        } catch (IllegalArgumentException e) {
            return false; // another server's position without GTIDs: not comparable
        }
        positions.put(subscriber, from);
        return true;
    }

    synchronized void add(BinlogSubscriber subscriber) {
        positions.put(subscriber, subscriber.position());
    }

    synchronized void remove(BinlogSubscriber subscriber) {
        positions.remove(subscriber);
    }

    synchronized boolean isEmpty() {
        return positions.isEmpty();
    }

    /** Where a stream serving every subscriber must start. */
    synchronized BinlogPosition oldest() {
        return positions.oldest().orElseThrow(() -> new IllegalStateException("a binlog stream without subscribers"));
    }

    /** Subscribers and their positions now (for gap checks before a connection). */
    synchronized Map<BinlogSubscriber, BinlogPosition> positions() {
        return positions.all();
    }

    /**
     * A new connection starts (or the current one ended, {@code -1}): a transaction in flight is forgotten, to be
     * sent again after the reconnect; what the previous connection still delivers is dropped.
     *
     * @return the generation whose events count from now on
     */
    synchronized int open(String connectedServer) {
        return open(connectedServer, null);
    }

    /** As {@link #open(String)}, reading from {@code from} (what every subscriber needs). */
    synchronized int open(String connectedServer, BinlogPosition from) {
        server = connectedServer;
        int connection = open();
        streamPosition = from;
        return connection;
    }

    private int open() {
        if (inTransaction) {
            active.stream().filter(positions::contains).forEach(BinlogSubscriber::rollback);
        }
        inTransaction = false;
        active = List.of();
        tables.clear();
        positions.forgetHanded();
        streamPosition = null;
        mark = null;
        file = "";
        readOffset = 0;
        return ++generation;
    }

    synchronized boolean isCurrent(int connection) {
        return connection == generation;
    }

    /** The connection of {@code connection} ended: the open transaction is rolled back; true if it was current. */
    synchronized boolean closed(int connection) {
        if (connection != generation) {
            return false;
        }
        open();
        return true;
    }

    synchronized void fail(int connection, Exception cause) {
        if (connection != generation) {
            return;
        }
        open();
        List.copyOf(positions.all().keySet()).forEach(s -> s.failed(cause));
    }

    /** {@code subscriber} fails on its own (its position is gone) and leaves; the others carry on. */
    synchronized void failOne(BinlogSubscriber subscriber, Exception cause) {
        if (positions.remove(subscriber) != null) {
            subscriber.failed(cause);
        }
    }

    /**
     * The source's log ended at {@code log.endFile():endOffset()} at {@code log.serverTime()}: once read that far
     * outside a transaction, every subscriber is complete up to that time. A newer mark replaces an unreached one.
     */
    synchronized void idleMark(int connection, SourceLog log) {
        if (connection == generation) {
            mark = log;
            stats.bytesBehind(file.isEmpty() ? -1 : log.bytesBehind(file, readOffset));
            deliverMark();
        }
    }

    private void deliverMark() {
        if (mark == null || inTransaction || file.isEmpty() || !mark.endReachedAt(file, readOffset)) {
            return;
        }
        Instant time = mark.serverTime();
        mark = null;
        stats.bytesBehind(0);
        // Only a note of the time: a subscriber without room now misses it rather than hold the stream back.
        positions.all().forEach((s, p) -> {
            if (s.awaitRoom(0)) {
                s.commit(p, time);
            }
        });
    }

    synchronized void onEvent(int connection, Event event) {
        if (connection != generation) {
            return;
        }
        stats.event();
        EventHeaderV4 header = event.getHeader();
        if (header.getNextPosition() > 0 && header.getEventType() != EventType.TABLE_MAP) {
            readOffset = header.getNextPosition();
        }
        dispatch(event, header);
        deliverMark();
    }

    private void dispatch(Event event, EventHeaderV4 header) {
        switch (header.getEventType()) {
            case ROTATE -> {
                RotateEventData rotate = event.getData();
                file = rotate.getBinlogFilename();
                readOffset = rotate.getBinlogPosition();
            }
            case GTID -> begin(Optional.of(((GtidEventData) event.getData()).getMySqlGtid().toString()), header);
            case MARIADB_GTID -> {
                MariadbGtidEventData g = event.getData();
                begin(Optional.of(g.getDomainId() + "-" + header.getServerId() + "-" + g.getSequence()), header);
            }
            case ANONYMOUS_GTID -> begin(Optional.empty(), header);
            case QUERY -> query(event.getData(), header);
            case TABLE_MAP -> {
                TableMapEventData map = event.getData();
                tables.put(map.getTableId(), map);
            }
            case WRITE_ROWS, EXT_WRITE_ROWS -> {
                WriteRowsEventData d = event.getData();
                d.getRows().forEach(row -> rows(d.getTableId(), RowChange.Kind.INSERT, null, row));
            }
            case UPDATE_ROWS, EXT_UPDATE_ROWS -> {
                UpdateRowsEventData d = event.getData();
                d.getRows().forEach(row -> rows(d.getTableId(), RowChange.Kind.UPDATE, row.getKey(), row.getValue()));
            }
            case DELETE_ROWS, EXT_DELETE_ROWS -> {
                DeleteRowsEventData d = event.getData();
                d.getRows().forEach(row -> rows(d.getTableId(), RowChange.Kind.DELETE, row, null));
            }
            case XID -> commit(header);
            default -> {
                // Heartbeats, format descriptions, GTID lists, row queries: nothing to apply.
            }
        }
    }

    /**
     * BEGIN opens a transaction without GTIDs; COMMIT ends a non-transactional one; any other statement (DDL) is one,
     * and subscribers whose table it may change hear of it before its commit.
     */
    private void query(QueryEventData data, EventHeaderV4 header) {
        String sql = data.getSql();
        if (sql.equalsIgnoreCase("BEGIN")) {
            if (!inTransaction) {
                begin(Optional.empty(), header);
            }
            return;
        }
        if (!inTransaction) {
            begin(gtid, header);
        }
        if (!sql.equalsIgnoreCase("COMMIT")) {
            active.stream().filter(s -> s.mayChange(data.getDatabase(), sql) && positions.keepsUp(s)).forEach(s -> {
                s.definitionChanged(sql);
                positions.handed(s);
            });
        }
        commit(header);
    }

    private void begin(Optional<String> transaction, EventHeaderV4 header) {
        gtid = transaction;
        inTransaction = true;
        active = positions.wanting(transaction, file, header.getPosition() + 1);
    }

    private void rows(long tableId, RowChange.Kind kind, Serializable[] before, Serializable[] after) {
        TableMapEventData map = tables.get(tableId);
        if (map == null || active.isEmpty()) {
            return;
        }
        RowChange change = null;
        for (BinlogSubscriber s : active) {
            if (s.follows(map.getDatabase(), map.getTable()) && positions.keepsUp(s)) {
                if (change == null) {
                    Optional<List<String>> names = Optional.ofNullable(map.getEventMetadata())
                            .map(m -> m.getColumnNames()).filter(n -> n != null && !n.isEmpty());
                    change = new RowChange(TableId.of(map.getDatabase(), map.getTable()), kind, before, after, names);
                }
                s.change(change);
                positions.handed(s);
            }
        }
    }

    private void commit(EventHeaderV4 header) {
        Instant time = Instant.ofEpochMilli(header.getTimestamp());
        for (BinlogSubscriber s : active) {
            BinlogPosition last = positions.position(s);
            if (last == null || !positions.keepsUp(s)) {
                continue; // left or detached during the transaction
            }
            BinlogPosition next = onThisServer(last.after(gtid, file, header.getNextPosition()));
            positions.put(s, next);
            s.commit(next, time);
        }
        if (streamPosition != null) {
            streamPosition = onThisServer(streamPosition.after(gtid, file, header.getNextPosition()));
        }
        inTransaction = false;
        active = List.of();
        gtid = Optional.empty();
    }

    /**
     * After a failover a position found by its GTIDs on another server continues in that server's files: it is
     * named by that server from then on, so that its file and offset are never read against the old server's.
     */
    private BinlogPosition onThisServer(BinlogPosition p) {
        if (p.server().equals(server) || p.gtids().isEmpty() || server.isEmpty()) {
            return p;
        }
        return new BinlogPosition(server, p.gtids(), p.file(), p.offset());
    }
}
