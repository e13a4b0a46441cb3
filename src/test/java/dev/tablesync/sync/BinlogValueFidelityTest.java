package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.github.shyiko.mysql.binlog.network.SSLMode;

import dev.tablesync.binlog.BinlogPosition;
import dev.tablesync.binlog.BinlogSubscriber;
import dev.tablesync.binlog.ClientServerId;
import dev.tablesync.binlog.Gtids;
import dev.tablesync.binlog.RowChange;
import dev.tablesync.binlog.RowImages;
import dev.tablesync.binlog.SourceStreams;
import dev.tablesync.binlog.StreamEndpoint;
import dev.tablesync.schema.Column;
import dev.tablesync.sql.SchemaReader;
import dev.tablesync.schema.TableId;
import dev.tablesync.sql.BinlogDialect;
import dev.tablesync.sql.DataSources;
import dev.tablesync.sql.Dialect;
import dev.tablesync.sql.ServerVersion;
import dev.tablesync.testsupport.TestServer;
import dev.tablesync.testsupport.TestServers;

/**
 * Guarantee 3 for the binlog path: every column type of {@link ValueFidelityTest} decodes from a binlog row image to
 * exactly the bytes tablesync's JDBC read of the same row returns, with the source server in a non-UTC time zone.
 */
class BinlogValueFidelityTest {

    static final String DB = "binlog_fidelity";
    static TestServer source;
    static boolean mariadb;
    static BinlogDialect dialect;
    static io.agroal.api.AgroalDataSource pool;

    @BeforeAll
    static void setUp() {
        source = TestServers.get().source();
        mariadb = source.flavor().equals("mariadb");
        source.recreateDatabase(DB);
        pool = DataSources.pool("source", source.jdbcUrl(DB), source.username(), source.password(), 2);
    }

    @AfterAll
    static void tearDown() {
        pool.close();
    }

    @Test
    void shouldDecodeEveryColumnTypeToTheBytesTheJdbcReadReturnsInAnyTimeZone() throws Exception {
        roundTrip();
    }

    /** Without full metadata the images carry no column names or signedness: the definition supplies them. */
    @Test
    void shouldDecodeEveryColumnTypeWithMinimalRowMetadataToo() throws Exception {
        source.execute(DB, "SET GLOBAL binlog_row_metadata = 'MINIMAL'");
        try {
            roundTrip();
        } finally {
            source.execute(DB, "SET GLOBAL binlog_row_metadata = 'FULL'");
        }
    }

    private static void roundTrip() throws Exception {
        source.execute(DB, "DROP TABLE IF EXISTS alltypes",
                "CREATE TABLE alltypes (" + ValueFidelityTest.COLUMNS + ") DEFAULT CHARSET=utf8mb4");
        source.execute(DB, "SET GLOBAL time_zone = '+05:30'");
        try (Connection c = pool.getConnection()) {
            dialect = new BinlogDialect(ServerVersion.parse(one(c, Dialect.VERSION)));
            List<Column> columns = SchemaReader.read(c, TableId.of(DB, "alltypes")).orElseThrow().columns();
            RowImages images = new RowImages(columns, mariadb);
            BinlogPosition from = now(c);
            source.execute(DB, "SET SESSION sql_mode = ''", ValueFidelityTest.insertExtremes(),
                    ValueFidelityTest.insertNulls(), ValueFidelityTest.insertZeros());
            Map<String, List<String>> inserted = jdbcRows(c, columns);
            source.execute(DB, "SET SESSION sql_mode = ''", "UPDATE alltypes SET ti = -ti, bin = REVERSE(bin),"
                    + " vbin = CONCAT(vbin, X'00'), blb = CONCAT(X'5C0A', blb), tx = CONCAT(tx, '\\t'),"
                    + " lat = CONCAT(lat, '\u00e9'), dt = dt + INTERVAL 1 SECOND, tm = '-00:00:00.000001',"
                    + " j = JSON_ARRAY(j), b64 = b64 ^ 1, f = -3.4e38, ts = '1999-12-31 23:59:59.999999'");
            Map<String, List<String>> updated = jdbcRows(c, columns);
            BinlogPosition to = now(c);

            List<RowChange> changes = follow(from, to);

            Map<String, List<String>> insertImages = new LinkedHashMap<>();
            Map<String, List<String>> beforeImages = new LinkedHashMap<>();
            Map<String, List<String>> afterImages = new LinkedHashMap<>();
            for (RowChange change : changes) {
                if (change.kind() == RowChange.Kind.INSERT) {
                    put(insertImages, images, columns, change, change.after());
                } else {
                    put(beforeImages, images, columns, change, change.before());
                    put(afterImages, images, columns, change, change.after());
                }
            }
            assertEquals(inserted, insertImages);
            assertEquals(inserted, beforeImages);
            assertEquals(updated, afterImages);
        } finally {
            source.execute(DB, "SET GLOBAL time_zone = 'SYSTEM'");
        }
    }

    private static void put(Map<String, List<String>> into, RowImages images, List<Column> columns, RowChange change,
            Serializable[] image) {
        byte[][] values = images.values(change, image);
        List<String> row = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            row.add(columns.get(i).name() + "=" + (values[i] == null ? "NULL" : HexFormat.of().formatHex(values[i])));
        }
        into.put(row.get(0), row);
    }

    /** The rows as tablesync's source reads return them: {@code Dialect#selectList}, pooled session in UTC. */
    private static Map<String, List<String>> jdbcRows(Connection c, List<Column> columns) throws SQLException {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + new Dialect(ServerVersion.parse(one(c, Dialect.VERSION)))
                        .selectList(columns) + " FROM alltypes ORDER BY id")) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 0; i < columns.size(); i++) {
                    byte[] v = rs.getBytes(i + 1);
                    row.add(columns.get(i).name() + "=" + (v == null ? "NULL" : HexFormat.of().formatHex(v)));
                }
                rows.put(row.get(0), row);
            }
        }
        return rows;
    }

    private static List<RowChange> follow(BinlogPosition from, BinlogPosition to) throws Exception {
        List<RowChange> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
        BinlogPosition[] last = {from};
        BinlogSubscriber subscriber = new BinlogSubscriber() {
            @Override
            public BinlogPosition position() {
                return from;
            }

            @Override
            public boolean follows(String schema, String table) {
                return schema.equals(DB) && table.equals("alltypes");
            }

            @Override
            public void change(RowChange change) {
                changes.add(change);
            }

            @Override
            public void commit(BinlogPosition after, Instant sourceCommitTime) {
                last[0] = after;
            }

            @Override
            public void rollback() {
                throw new AssertionError("no reconnect expected");
            }

            @Override
            public void failed(Exception cause) {
                cause.printStackTrace();
            }
        };
        StreamEndpoint endpoint = new StreamEndpoint(from.server(), source.host(), source.port(), source.username(),
                source.password(), SSLMode.PREFERRED, new ClientServerId(3_000_000_321L));
        try (SourceStreams streams = new SourceStreams()) {
            streams.join(endpoint, subscriber);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!last[0].includes(to) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        assertEquals(true, last[0].includes(to), "the stream reached " + to + ", got to " + last[0]);
        return changes;
    }

    private static BinlogPosition now(Connection c) throws SQLException {
        String server = one(c, dialect.serverIdentity());
        String gtids = one(c, dialect.currentGtids());
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(dialect.logStatus())) {
            rs.next();
            return new BinlogPosition(server, Optional.of(Gtids.parse(mariadb, gtids)), rs.getString(1), rs.getLong(2));
        }
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
