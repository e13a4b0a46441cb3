package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import dev.tablesync.testsupport.TestServer;
import dev.tablesync.testsupport.TestServers;

/**
 * A source table {@code items} whose rows carry a {@code version} ({@link VersionedWriter}), its copy on the target
 * with triggers that record every row the sync writes, {@code (id, version)}, in {@code write_audit} (in the
 * writing target transaction, so a write rolled back by a crash leaves no record), and the configuration of the
 * packaged application that follows it with {@code mode=binlog}.
 */
final class VersionedTable {

    static final String MAPPING = "items";
    private static final String COLUMNS = "(id BIGINT NOT NULL PRIMARY KEY, version BIGINT NOT NULL, grp INT NOT NULL,"
            + " payload VARCHAR(100) NOT NULL, amount DECIMAL(12,2) NOT NULL, touched DATETIME(6) NULL) ENGINE=InnoDB";

    final TestServer source;
    final TestServer target;
    private final String sourceDb;
    private final String targetDb;
    private final String stateDb;

    /** Fresh databases named after {@code name}, {@code rows} rows at version 0 on the source. */
    VersionedTable(String name, int rows) {
        TestServers servers = TestServers.get();
        source = servers.source();
        target = servers.target();
        sourceDb = name + "_src";
        targetDb = name + "_tgt";
        stateDb = name + "_state";
        source.recreateDatabase(sourceDb);
        target.recreateDatabase(targetDb);
        target.execute(targetDb, "DROP DATABASE IF EXISTS `" + stateDb + "`");
        source.execute(sourceDb, "CREATE TABLE items " + COLUMNS,
                "INSERT INTO items VALUES (1, 0, 1, 'seed 1', 1.00, '2026-01-01 00:00:00.000001')");
        for (int have = 1; have < rows; have *= 2) {
            source.execute(sourceDb, "INSERT INTO items SELECT id + " + have + ", 0, (id + " + have + ") % 7,"
                    + " CONCAT('seed ', id + " + have + "), amount + id, touched FROM items WHERE id + " + have
                    + " <= " + rows);
        }
        target.execute(targetDb, "CREATE TABLE items " + COLUMNS,
                "CREATE TABLE write_audit (seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, id BIGINT NOT NULL,"
                        + " version BIGINT NOT NULL) ENGINE=InnoDB",
                "CREATE TRIGGER items_inserted AFTER INSERT ON items FOR EACH ROW"
                        + " INSERT INTO write_audit (id, version) VALUES (NEW.id, NEW.version)",
                "CREATE TRIGGER items_updated AFTER UPDATE ON items FOR EACH ROW"
                        + " INSERT INTO write_audit (id, version) VALUES (NEW.id, NEW.version)");
    }

    VersionedWriter startWriter(int rowsBefore) {
        return new VersionedWriter(source, sourceDb, rowsBefore);
    }

    /** The packaged application's configuration: one binlog mapping, run every second, small batches. */
    Map<String, String> appProperties(int batchSize, int bulkBatchSize) {
        Map<String, String> p = new LinkedHashMap<>();
        connection(p, "source", source, sourceDb);
        connection(p, "target", target, targetDb);
        String m = "tablesync.mappings." + MAPPING + ".";
        p.put(m + "source", "source");
        p.put(m + "source-table", "items");
        p.put(m + "target", "target");
        p.put(m + "mode", "binlog");
        p.put(m + "schedule", "1s");
        p.put(m + "batch-size", String.valueOf(batchSize));
        p.put(m + "bulk-batch-size", String.valueOf(bulkBatchSize));
        p.put("tablesync.state-schema", stateDb);
        p.put("tablesync.retry.initial-backoff", "200ms");
        p.put("tablesync.retry.max-backoff", "2s");
        p.put("quarkus.http.port", "0");
        p.put("quarkus.management.port", "0");
        return p;
    }

    private static void connection(Map<String, String> p, String name, TestServer server, String db) {
        p.put("tablesync.connections." + name + ".url", server.jdbcUrl(db));
        p.put("tablesync.connections." + name + ".username", server.username());
        p.put("tablesync.connections." + name + ".password", server.password());
    }

    /** The mapping's checkpoint phase on the target ({@code SNAPSHOT}, {@code INCREMENTAL}), or "none". */
    String phase() {
        List<String> phase = targetColumn("SELECT phase FROM `" + stateDb + "`.checkpoint WHERE mapping_id = '"
                + MAPPING + "'");
        return phase.isEmpty() ? "none" : phase.get(0).toUpperCase(java.util.Locale.ROOT);
    }

    long targetLong(String sql) {
        List<String> v = targetColumn(sql);
        return v.isEmpty() || v.get(0) == null ? 0 : Long.parseLong(v.get(0));
    }

    /**
     * Target rows at {@code version}, counting those of a transaction still open ({@code READ UNCOMMITTED}): shows
     * how far the target is into applying a source transaction before it commits.
     */
    long uncommittedRowsAt(long version) {
        try (Connection c = target.connect(targetDb); Statement s = c.createStatement()) {
            s.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED");
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM items WHERE version = " + version)) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Target statements fail while tables are missing (the app creates the state schema): treated as empty. */
    private List<String> targetColumn(String sql) {
        try (Connection c = target.connect(targetDb); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            if (e.getErrorCode() == 1146 || e.getErrorCode() == 1049) {
                return List.of();
            }
            throw new IllegalStateException(sql, e);
        }
    }

    boolean same() {
        return rows(source, sourceDb).equals(rows(target, targetDb));
    }

    /** Target == source, row by row and column by column. */
    void assertSame() {
        List<String> expected = rows(source, sourceDb);
        List<String> actual = rows(target, targetDb);
        assertEquals(expected.size(), actual.size(), "row count");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), "row " + i);
        }
    }

    private static List<String> rows(TestServer server, String db) {
        try (Connection c = server.connect(db); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, version, grp, payload, amount, touched FROM items ORDER BY id")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= 6; i++) {
                    row.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every write the target recorded, checked against what the log allows. The snapshot hand-off is the one
     * legitimate replay: the log is applied from the position read before the snapshot's first chunk, so a row the
     * snapshot copied at version v may then be written again with versions below v, committed before the snapshot
     * ended (they converge). So: writes recorded after {@code handOffSeq} (the last audit entry when the snapshot
     * was seen complete) carry strictly increasing versions per row; and a version above {@code handOffStamp} (the
     * writer's stamp then: committed after the snapshot read its last chunk) is above every version written to
     * that row before it. A committed source transaction applied twice breaks one of the two.
     *
     * @return how many writes were checked after the hand-off, so a test can make sure there were some
     */
    long assertNothingAppliedTwice(long handOffSeq, long handOffStamp) {
        Map<Long, long[]> last = new HashMap<>();
        List<String> problems = new ArrayList<>();
        long checked = 0;
        try (Connection c = target.connect(targetDb); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT seq, id, version FROM write_audit ORDER BY seq")) {
            while (rs.next()) {
                long seq = rs.getLong(1);
                long id = rs.getLong(2);
                long version = rs.getLong(3);
                long[] seen = last.computeIfAbsent(id, k -> new long[] {Long.MIN_VALUE, Long.MIN_VALUE});
                if (seq > handOffSeq) {
                    checked++;
                    if (version <= seen[1]) {
                        problems.add("row " + id + " written at version " + version + " after version " + seen[1]
                                + " (audit seq " + seq + ")");
                    }
                    seen[1] = version;
                }
                if (version > handOffStamp && version <= seen[0]) {
                    problems.add("row " + id + " written at version " + version + " after version " + seen[0]
                            + " was (audit seq " + seq + ")");
                }
                seen[0] = Math.max(seen[0], version);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        assertEquals(List.of(), problems.subList(0, Math.min(20, problems.size())), problems.size()
                + " writes repeat a version the row already had: a source change was applied twice");
        return checked;
    }

    /** Polls every 20 ms until {@code condition} holds; false when {@code millis} passed first. */
    static boolean within(long millis, BooleanSupplier condition) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
