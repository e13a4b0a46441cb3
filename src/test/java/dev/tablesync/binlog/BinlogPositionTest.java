package dev.tablesync.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BinlogPositionTest {

    static final String UUID_A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    static final String UUID_B = "4e11fa47-71ca-11e1-9e33-c80aa9429562";
    static final String MYSQL = "mysql:" + UUID_A;
    static final String MARIADB = "mariadb:1:0123456789ab";

    static BinlogPosition mysql(String gtids, String file, long offset) {
        return new BinlogPosition(MYSQL, Optional.of(Gtids.parse(false, gtids)), file, offset);
    }

    static BinlogPosition mariadb(String gtids, String file, long offset) {
        return new BinlogPosition(MARIADB, Optional.of(Gtids.parse(true, gtids)), file, offset);
    }

    static BinlogPosition fileOnly(String server, String file, long offset) {
        return new BinlogPosition(server, Optional.empty(), file, offset);
    }

    @Test
    void shouldRoundTripThroughJsonWithAndWithoutGtids() {
        for (BinlogPosition p : new BinlogPosition[] {mysql(UUID_A + ":1-5:7," + UUID_B + ":3", "binlog.000003", 1234),
                mariadb("0-1-42,2-7-9", "mariadb-bin.000120", 4), fileOnly(MYSQL, "binlog.1234567", 99)}) {
            assertEquals(p, BinlogPosition.fromJson(p.toJson()));
        }
        assertEquals("{\"server\":\"mariadb:1:0123456789ab\",\"gtids\":\"0-1-42\",\"file\":\"b.000001\",\"offset\":4}",
                mariadb("0-1-42", "b.000001", 4).toJson());
    }

    @Test
    void shouldWriteGtidSetsCanonicallySoEqualSetsAreEqual() {
        assertEquals(UUID_A + ":1-7", Gtids.parse(false, UUID_A.toUpperCase() + ":5-7:1-4,\n" + UUID_A + ":3").text());
        assertEquals(Gtids.parse(false, UUID_A + ":1-3:4"), Gtids.parse(false, UUID_A + ":1-4"));
        assertEquals("0-1-5,3-2-9", Gtids.parse(true, "3-2-9, 0-1-5").text());
        assertEquals(UUID_A + ":tag:1-2", Gtids.parse(false, UUID_A + ":tag:1:2").text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "[]", "null", "not json", "{\"server\":\"mysql:nope\",\"file\":\"b.000001\",\"offset\":4}",
            "{\"server\":\"" + MYSQL + "\",\"file\":\"b.000001\",\"offset\":3}",
            "{\"server\":\"" + MYSQL + "\",\"file\":\"b.000001\",\"offset\":\"4\"}",
            "{\"server\":\"" + MYSQL + "\",\"file\":\"b.000001\",\"offset\":4.5}",
            "{\"server\":\"" + MYSQL + "\",\"file\":\"../etc/passwd\",\"offset\":4}",
            "{\"server\":\"" + MYSQL + "\",\"file\":\"binlog\",\"offset\":4}",
            "{\"server\":\"" + MYSQL + "\",\"gtids\":\"0-1-42\",\"file\":\"b.000001\",\"offset\":4}",
            "{\"server\":\"" + MARIADB + "\",\"gtids\":\"" + UUID_A + ":1\",\"file\":\"b.000001\",\"offset\":4}",
            "{\"server\":\"" + MARIADB + "\",\"gtids\":\"0-1-4,0-2-5\",\"file\":\"b.000001\",\"offset\":4}",
            "{\"server\":\"" + MARIADB + "\",\"gtids\":\"0-1-99999999999999999999\",\"file\":\"b.000001\",\"offset\":4}",
            "{\"server\":\"" + MYSQL + "\",\"gtids\":\"" + UUID_A + ":5-3\",\"file\":\"b.000001\",\"offset\":4}",
            "{\"server\":\"" + MYSQL + "\",\"gtids\":\"" + UUID_A + ":0\",\"file\":\"b.000001\",\"offset\":4}",
            "{\"server\":\"" + MYSQL + "\",\"gtids\":7,\"file\":\"b.000001\",\"offset\":4}"})
    void shouldRejectMalformedStoredPositionsNamingTheText(String json) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BinlogPosition.fromJson(json));
        assertTrue(e.getMessage().startsWith("unreadable binlog position " + json + ": "), e.getMessage());
    }

    @Test
    void shouldOrderByGtidsWhateverTheFileNames() {
        BinlogPosition early = mysql(UUID_A + ":1-5", "binlog.000009", 500);
        BinlogPosition late = mysql(UUID_A + ":1-7", "binlog.000001", 4); // after a failover: another server's files
        assertTrue(late.includes(early));
        assertFalse(early.includes(late));
        assertTrue(mariadb("0-1-42,1-1-3", "b.000001", 4).includes(mariadb("0-2-41", "b.000007", 9)));
        assertFalse(mariadb("0-1-42", "b.000001", 4).includes(mariadb("0-1-42,1-1-1", "b.000001", 4)));
    }

    @Test
    void shouldOrderFilePositionsOnlyWithinOneServersLog() {
        BinlogPosition a = fileOnly(MYSQL, "binlog.000009", 500);
        BinlogPosition b = fileOnly(MYSQL, "binlog.000010", 4);
        assertTrue(b.includes(a));
        assertFalse(a.includes(b));
        BinlogPosition otherServer = fileOnly("mysql:" + UUID_B, "binlog.000001", 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> otherServer.includes(a));
        assertTrue(e.getMessage().contains("different servers"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fileOnly(MYSQL, "other.000011", 4).includes(a));
    }

    @Test
    void shouldStartASharedStreamWhereEverySubscriberStillHasWorkLeft() {
        BinlogPosition a = mysql(UUID_A + ":1-10," + UUID_B + ":1-3", "binlog.000002", 900);
        BinlogPosition b = mysql(UUID_A + ":1-7," + UUID_B + ":1-5", "binlog.000002", 700);
        BinlogPosition oldest = a.oldest(b);
        assertEquals(UUID_A + ":1-7," + UUID_B + ":1-3", oldest.gtids().orElseThrow().text());
        assertEquals(700, oldest.offset());
        assertEquals("0-1-5", mariadb("0-1-9", "b.000001", 4).oldest(mariadb("0-1-5", "b.000001", 4))
                .gtids().orElseThrow().text());
        assertEquals(fileOnly(MYSQL, "binlog.000002", 4),
                fileOnly(MYSQL, "binlog.000002", 4).oldest(fileOnly(MYSQL, "binlog.000002", 8)));
    }

    @Test
    void shouldSkipATransactionOnlyWhenItIsAlreadyIncluded() {
        BinlogPosition p = mysql(UUID_A + ":1-10", "binlog.000002", 900);
        assertTrue(p.includesTransaction(Optional.of(UUID_A + ":10"), "binlog.000002", 900));
        assertFalse(p.includesTransaction(Optional.of(UUID_A + ":11"), "binlog.000002", 1200));
        BinlogPosition m = mariadb("0-1-42", "b.000001", 4);
        assertTrue(m.includesTransaction(Optional.of("0-2-42"), "b.000001", 8));
        assertFalse(m.includesTransaction(Optional.of("1-1-1"), "b.000001", 8));
        BinlogPosition f = fileOnly(MYSQL, "binlog.000002", 900);
        assertTrue(f.includesTransaction(Optional.empty(), "binlog.000002", 900));
        assertFalse(f.includesTransaction(Optional.empty(), "binlog.000003", 120));
    }

    @Test
    void shouldAdvanceByTheCommittedTransaction() {
        BinlogPosition next = mysql(UUID_A + ":1-10", "binlog.000002", 900)
                .after(Optional.of(UUID_A + ":11"), "binlog.000002", 1300);
        assertEquals(mysql(UUID_A + ":1-11", "binlog.000002", 1300), next);
        assertEquals("0-2-43", mariadb("0-1-42", "b.000001", 4).after(Optional.of("0-2-43"), "b.000001", 90)
                .gtids().orElseThrow().text());
    }
}
