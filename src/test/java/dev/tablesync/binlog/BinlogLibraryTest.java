package dev.tablesync.binlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.network.SSLMode;

import dev.tablesync.testsupport.TestServer;
import dev.tablesync.testsupport.TestServers;

/**
 * The binlog library, alone in a plain JVM, against the test source: it logs in as a password user with only the
 * replication privileges (on MySQL over TLS, where {@code caching_sha2_password} needs it for a first login) and
 * delivers a committed row and its transaction's end, on MariaDB and on MySQL.
 */
class BinlogLibraryTest {

    static final String DB = "binlog_library";
    static final String USER = "binlog_lib";
    static final String PASSWORD = "s3cret-Binlog";
    static TestServer source;

    @BeforeAll
    static void setUp() {
        source = TestServers.get().source();
        source.recreateDatabase(DB);
        boolean mariadb = source.flavor().equals("mariadb");
        source.execute(DB, "DROP USER IF EXISTS '" + USER + "'@'%'",
                "CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT REPLICATION SLAVE, " + (mariadb ? "BINLOG MONITOR" : "REPLICATION CLIENT") + " ON *.* TO '"
                        + USER + "'@'%'",
                "FLUSH PRIVILEGES",
                "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20))");
    }

    @AfterAll
    static void tearDown() {
        source.execute(DB, "DROP USER IF EXISTS '" + USER + "'@'%'");
    }

    @Test
    void shouldDeliverACommittedRowAndItsCommitToAReplicationOnlyUser() throws Exception {
        boolean mariadb = source.flavor().equals("mariadb");
        BinaryLogClient client = new BinaryLogClient(source.host(), source.port(), USER, PASSWORD);
        client.setServerId(4_000_000_001L);
        // MariaDB 10.11 has no TLS unless configured; MySQL 8 has it on, and a first caching_sha2 login needs it.
        client.setSSLMode(mariadb ? SSLMode.DISABLED : SSLMode.REQUIRED);
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        client.registerEventListener(events::add);
        String before = Queries.one(source, mariadb ? "SELECT @@gtid_binlog_pos" : "SELECT @@gtid_executed");
        client.setGtidSet(before); // resume by GTID, as tablesync will: both flavours log them here
        client.connect(TimeUnit.SECONDS.toMillis(20));
        try {
            assertEquals(mariadb, client.getMariaDB());
            source.execute(DB, "INSERT INTO t VALUES (1, 'héllo')");

            TableMapEventData table = null;
            WriteRowsEventData rows = null;
            for (Event e; (e = events.poll(20, TimeUnit.SECONDS)) != null;) {
                EventType type = e.getHeader().getEventType();
                if (type == EventType.TABLE_MAP && DB.equals(((TableMapEventData) e.getData()).getDatabase())) {
                    table = e.getData();
                } else if (EventType.isWrite(type) && table != null) {
                    rows = e.getData();
                } else if (type == EventType.XID && rows != null) {
                    break;
                }
            }
            assertNotNull(rows, "no row event for " + DB + ".t within 20 s");
            assertEquals("t", table.getTable());
            assertEquals(rows.getTableId(), table.getTableId());
            List<Serializable[]> images = rows.getRows();
            assertEquals(1, images.size());
            assertEquals(1, images.get(0)[0]);
            assertArrayEquals("héllo".getBytes(java.nio.charset.StandardCharsets.UTF_8), toBytes(images.get(0)[1]));
            assertTrue(!client.getGtidSet().equals(before), "the client's GTID set moved past " + before);
        } finally {
            client.disconnect();
        }
    }

    private static byte[] toBytes(Serializable value) {
        return value instanceof byte[] b ? b : value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
