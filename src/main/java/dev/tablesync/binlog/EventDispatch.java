package dev.tablesync.binlog;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;

import dev.tablesync.schema.TableId;

/**
 * Turns one connection's events into source transactions and hands each to the subscribers that have not applied
 * it yet, with the position right after its commit. Runs on the stream's thread; subscribers join and leave under
 * the stream's lock.
 */
final class EventDispatch implements BinaryLogClient.EventListener {

    private final Map<BinlogSubscriber, BinlogPosition> positions = new LinkedHashMap<>();
    private final Map<Long, TableMapEventData> tables = new HashMap<>();
    private String file = "";
    private Optional<String> gtid = Optional.empty();
    private boolean inTransaction;
    private List<BinlogSubscriber> active = List.of();

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
        return positions.values().stream().reduce(BinlogPosition::oldest)
                .orElseThrow(() -> new IllegalStateException("a binlog stream without subscribers"));
    }

    /** The connection ended: a transaction in flight is forgotten, to be sent again after the reconnect. */
    synchronized void reset() {
        if (inTransaction) {
            active.forEach(BinlogSubscriber::rollback);
        }
        inTransaction = false;
        active = List.of();
        tables.clear();
    }

    synchronized void fail(Exception cause) {
        reset();
        List.copyOf(positions.keySet()).forEach(s -> s.failed(cause));
    }

    @Override
    public synchronized void onEvent(Event event) {
        EventHeaderV4 header = event.getHeader();
        switch (header.getEventType()) {
            case ROTATE -> file = ((RotateEventData) event.getData()).getBinlogFilename();
            case GTID -> begin(Optional.of(((GtidEventData) event.getData()).getMySqlGtid().toString()), header);
            case MARIADB_GTID -> {
                MariadbGtidEventData g = event.getData();
                begin(Optional.of(g.getDomainId() + "-" + header.getServerId() + "-" + g.getSequence()), header);
            }
            case ANONYMOUS_GTID -> begin(Optional.empty(), header);
            case QUERY -> query(((QueryEventData) event.getData()).getSql(), header);
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

    /** BEGIN opens a transaction without GTIDs; COMMIT ends a non-transactional one; any other statement (DDL) is one. */
    private void query(String sql, EventHeaderV4 header) {
        if (sql.equalsIgnoreCase("BEGIN")) {
            if (!inTransaction) {
                begin(Optional.empty(), header);
            }
            return;
        }
        if (!inTransaction) {
            begin(gtid, header);
        }
        commit(header);
    }

    private void begin(Optional<String> transaction, EventHeaderV4 header) {
        gtid = transaction;
        inTransaction = true;
        long start = header.getPosition();
        List<BinlogSubscriber> wanting = new ArrayList<>();
        positions.forEach((s, p) -> {
            if (!p.includesTransaction(transaction, file, start + 1)) {
                wanting.add(s);
            }
        });
        active = wanting;
    }

    private void rows(long tableId, RowChange.Kind kind, Serializable[] before, Serializable[] after) {
        TableMapEventData map = tables.get(tableId);
        if (map == null || active.isEmpty()) {
            return;
        }
        RowChange change = null;
        for (BinlogSubscriber s : active) {
            if (s.follows(map.getDatabase(), map.getTable())) {
                if (change == null) {
                    Optional<List<String>> names = Optional.ofNullable(map.getEventMetadata())
                            .map(m -> m.getColumnNames()).filter(n -> n != null && !n.isEmpty());
                    change = new RowChange(TableId.of(map.getDatabase(), map.getTable()), kind, before, after, names);
                }
                s.change(change);
            }
        }
    }

    private void commit(EventHeaderV4 header) {
        Instant time = Instant.ofEpochMilli(header.getTimestamp());
        for (BinlogSubscriber s : active) {
            BinlogPosition last = positions.get(s);
            if (last == null) {
                continue; // left during the transaction
            }
            BinlogPosition next = last.after(gtid, file, header.getNextPosition());
            positions.put(s, next);
            s.commit(next, time);
        }
        inTransaction = false;
        active = List.of();
        gtid = Optional.empty();
    }
}
