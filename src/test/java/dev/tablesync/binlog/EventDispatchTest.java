package dev.tablesync.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MySqlGtid;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.XidEventData;

/** The idle mark never reports a subscriber complete while a source transaction is being read. */
class EventDispatchTest {

    static final String SERVER = "mysql:3e11fa47-71ca-11e1-9e33-c80aa9429562";
    static final Instant TX_TIME = Instant.parse("2026-01-01T10:00:00Z");
    static final Instant MARK_TIME = Instant.parse("2026-01-01T10:00:05Z");

    private static Event event(EventType type, long nextPosition, EventData data) {
        EventHeaderV4 h = new EventHeaderV4();
        h.setEventType(type);
        h.setNextPosition(nextPosition);
        h.setEventLength(50);
        h.setTimestamp(TX_TIME.toEpochMilli());
        return new Event(h, data);
    }

    @Test
    void shouldHoldTheIdleMarkUntilTheOpenTransactionCommits() {
        EventDispatch dispatch = new EventDispatch(new StreamStats());
        Recording r = new Recording("orders", "db", "t",
                new BinlogPosition(SERVER, Optional.empty(), "binlog.000001", 150));
        dispatch.add(r);
        int c = dispatch.open(SERVER);
        RotateEventData rotate = new RotateEventData();
        rotate.setBinlogFilename("binlog.000001");
        rotate.setBinlogPosition(150);
        dispatch.onEvent(c, event(EventType.ROTATE, 0, rotate));
        dispatch.onEvent(c, event(EventType.ANONYMOUS_GTID, 200, null));

        // The log ended at 200 when the server's clock read MARK_TIME; the stream is there, inside a transaction.
        dispatch.idleMark(c, new SourceLog(SERVER, false, Optional.empty(), Optional.empty(),
                List.of(new SourceLog.LogFile("binlog.000001", 300)), "binlog.000001", 200, MARK_TIME));
        assertEquals(0, r.commits.get(), "no commit inside the transaction");

        dispatch.onEvent(c, event(EventType.XID, 300, new XidEventData()));
        assertEquals(2, r.commits.get(), "the transaction's commit, then the mark's");
        assertEquals(new BinlogPosition(SERVER, Optional.empty(), "binlog.000001", 300), r.last);
        assertEquals(MARK_TIME, r.lastSourceTime);
    }

    @Test
    void shouldDropWhatAnEarlierConnectionStillDelivers() {
        EventDispatch dispatch = new EventDispatch(new StreamStats());
        Recording r = new Recording("orders", "db", "t",
                new BinlogPosition(SERVER, Optional.empty(), "binlog.000001", 150));
        dispatch.add(r);
        int old = dispatch.open(SERVER);
        int current = dispatch.open(SERVER);
        dispatch.onEvent(old, event(EventType.ANONYMOUS_GTID, 200, null));
        dispatch.onEvent(old, event(EventType.XID, 300, new XidEventData()));
        assertEquals(0, r.commits.get());
        assertEquals(false, dispatch.closed(old), "a late disconnect of the old connection changes nothing");
        assertEquals(true, dispatch.closed(current));
    }

    @Test
    void shouldAdmitACaughtUpSubscriberOnlyBetweenTransactions() {
        String uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        EventDispatch dispatch = new EventDispatch(new StreamStats());
        Recording shared = new Recording("orders", "db", "t",
                new BinlogPosition(SERVER, Optional.of(Gtids.parse(false, uuid + ":1-9")), "binlog.000001", 150));
        dispatch.add(shared);
        int c = dispatch.open(SERVER, shared.position());
        RotateEventData rotate = new RotateEventData();
        rotate.setBinlogFilename("binlog.000001");
        rotate.setBinlogPosition(150);
        dispatch.onEvent(c, event(EventType.ROTATE, 0, rotate));
        dispatch.onEvent(c, event(EventType.GTID, 200, new GtidEventData(MySqlGtid.fromString(uuid + ":10"), (byte) 0,
                0, 0, 0, 0, 0, 0, 0)));

        // A private stream already applied transaction 10 and asks to rejoin while the shared one is inside it.
        Recording caughtUp = new Recording("items", "db", "items",
                new BinlogPosition(SERVER, Optional.of(Gtids.parse(false, uuid + ":1-10")), "binlog.000001", 300));
        assertFalse(dispatch.admit(caughtUp, caughtUp.position()), "not inside a transaction it has committed");

        dispatch.onEvent(c, event(EventType.XID, 300, new XidEventData()));
        assertTrue(dispatch.admit(caughtUp, caughtUp.position()), "at the boundary after it");
        assertEquals(0, caughtUp.commits.get(), "handed nothing of transaction 10 again");
    }
}
