package dev.tablesync.sync;

import dev.tablesync.testsupport.TestConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.tablesync.config.Mapping;
import dev.tablesync.sql.DataSources;
import dev.tablesync.testsupport.TestServer;
import dev.tablesync.testsupport.TestServers;

/**
 * A fresh source and target database per test class on the real test servers, pools named
 * {@code source} and {@code target} onto them, and ways to run mappings and compare tables.
 */
public final class SyncFixture implements AutoCloseable {

    public static final String STATE_SCHEMA = "tablesync_state";

    public final TestServer sourceServer;
    public final TestServer targetServer;
    public final String sourceDb;
    public final String targetDb;
    public final DataSources dataSources;
    /** Pools of one connection each, for runs that count their statements per session; made on first use. */
    private DataSources oneConnectionEach;
    private final Map<String, ChangeWindow> windows = new java.util.HashMap<>();
    /** Kept per mapping between runs as the engine keeps it, so every sync test also runs on a known target. */
    private final Map<String, KnownTarget> knownTargets = new java.util.HashMap<>();

    public SyncFixture(String name) {
        TestServers servers = TestServers.get();
        sourceServer = servers.source();
        targetServer = servers.target();
        sourceDb = name + "_src";
        targetDb = name + "_tgt";
        sourceServer.recreateDatabase(sourceDb);
        targetServer.recreateDatabase(targetDb);
        targetServer.execute(targetDb, "DROP DATABASE IF EXISTS `" + STATE_SCHEMA + "`");
        dataSources = new DataSources(Map.of(
                "source", DataSources.pool("source", sourceServer.jdbcUrl(sourceDb), sourceServer.username(),
                        sourceServer.password(), 4),
                "target", DataSources.pool("target", targetServer.jdbcUrl(targetDb), targetServer.username(),
                        targetServer.password(), 4)));
    }

    public Mapping mapping(String id, String table) {
        return TestConfig.edit(TestConfig.mapping(id, "source", table, "target", table)).withCommitDelay(java.time.Duration.ZERO).build();
    }

    public RunResult run(Mapping mapping) {
        return run(mapping, RunObserver.NONE, false);
    }

    /**
     * InnoDB refreshes information_schema.INNODB_TRX at most every 100 ms; runs that follow a
     * commit sooner would rightly see the committed transaction as still open and wait for it.
     */
    RunResult run(Mapping mapping, RunObserver observer, boolean full) {
        return run(mapping, observer, full, dataSources);
    }

    private RunResult run(Mapping mapping, RunObserver observer, boolean full, DataSources pools) {
        try {
            Thread.sleep(150);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ChangeWindow window = window(mapping.id());
        KnownTarget known = knownTargets.computeIfAbsent(mapping.id(), id -> new KnownTarget());
        return new MappingRun(mapping, pools, STATE_SCHEMA, window, known, observer, () -> false,
                Clock.systemUTC()).execute(full);
    }

    /** The mapping's change window, kept between runs as the engine keeps it. */
    ChangeWindow window(String mappingId) {
        return windows.computeIfAbsent(mappingId, ChangeWindow::new);
    }

    /**
     * Runs with the target refusing local loads from the first committed batch on, as a server
     * whose {@code local_infile} an operator turned off mid-run; restores it afterwards.
     */
    RunResult runRefusingLoadsAfterFirstCommit(Mapping mapping) {
        try {
            return run(mapping, refusingLoadsAfterFirstCommit(), false);
        } finally {
            targetServer.execute(targetDb, "SET GLOBAL local_infile = 1");
        }
    }

    /** {@link #runRefusingLoadsAfterFirstCommit} counting the run's session status as {@link #runCounted} does. */
    Counted runCountedRefusingLoadsAfterFirstCommit(Mapping mapping, String... statusNames) {
        try {
            return runCounted(mapping, refusingLoadsAfterFirstCommit(), false, statusNames);
        } finally {
            targetServer.execute(targetDb, "SET GLOBAL local_infile = 1");
        }
    }

    private RunObserver refusingLoadsAfterFirstCommit() {
        return new RunObserver() {
            @Override
            public void batchCommitted(dev.tablesync.checkpoint.Checkpoint checkpoint, WriteCounts batch) {
                targetServer.execute(targetDb, "SET GLOBAL local_infile = 0");
            }
        };
    }

    public RunResult runOk(Mapping mapping) {
        RunResult result = run(mapping);
        if (!result.succeeded()) {
            throw new AssertionError("run failed: " + result.summary(), result.error().get());
        }
        return result;
    }

    public void source(String... sql) {
        sourceServer.execute(sourceDb, sql);
    }

    /** A table {@code nums(n)} holding 1..count on the source, portable to MySQL and MariaDB. */
    public void numbers(long count) {
        source("DROP TABLE IF EXISTS nums", "CREATE TABLE nums (n BIGINT PRIMARY KEY)", "INSERT INTO nums VALUES (1)");
        for (long have = 1; have < count; have *= 2) {
            source("INSERT INTO nums SELECT n + " + have + " FROM nums");
        }
        source("DELETE FROM nums WHERE n > " + count);
    }

    /**
     * A source table {@code (id, qty, note, updated_at)} holding three rows, {@code options} after
     * its definition (e.g. a charset), and its mapping, snapshotted once.
     */
    Mapping syncedThreeRows(String table, String options) {
        source("CREATE TABLE `" + table + "` (id INT PRIMARY KEY, qty INT NULL, note VARCHAR(20) NULL,"
                + " updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
                + " INDEX (updated_at)) " + options,
                "INSERT INTO `" + table + "` (id, qty, note) VALUES (1, 10, 'a'), (2, 20, 'b'), (3, 30, 'c')");
        Mapping m = mapping(table.replace('_', '-'), table);
        RunResult first = runOk(m);
        if (!"snapshot+incremental".equals(first.kind())) {
            throw new AssertionError("the first run should snapshot: " + first.summary());
        }
        return m;
    }

    /**
     * Runs the mapping (which must succeed) on pools of one connection each and counts what that run sent
     * on them, from each session's own status counters ({@code Questions}, {@code Com_load}, ...). Server-wide
     * counters would also count the statements other test classes' services send at the same moment.
     */
    Counted runCounted(Mapping mapping, String... statusNames) {
        Counted counted = runCounted(mapping, RunObserver.NONE, false, statusNames);
        if (!counted.run().succeeded()) {
            throw new AssertionError("run failed: " + counted.run().summary(), counted.run().error().get());
        }
        return counted;
    }

    /** {@link #runCounted(Mapping, String...)} telling the observer what the run does; the run may fail. */
    Counted runCounted(Mapping mapping, RunObserver observer, boolean full, String... statusNames) {
        if (oneConnectionEach == null) {
            oneConnectionEach = warmedUpOneConnectionEach();
        }
        long[] source = sessionStatus(oneConnectionEach, "source", statusNames);
        long[] target = sessionStatus(oneConnectionEach, "target", statusNames);
        RunResult run = run(mapping, observer, full, oneConnectionEach);
        long[] sourceAfter = sessionStatus(oneConnectionEach, "source", statusNames);
        long[] targetAfter = sessionStatus(oneConnectionEach, "target", statusNames);
        Map<String, Long> sourceCounts = new java.util.HashMap<>();
        Map<String, Long> targetCounts = new java.util.HashMap<>();
        for (int i = 0; i < statusNames.length; i++) {
            // Counters read on the session they count: one SHOW STATUS of ours is counted in between.
            long ours = statusNames[i].equals("Questions") ? 1 : 0;
            sourceCounts.put(statusNames[i], sourceAfter[i] - source[i] - ours);
            targetCounts.put(statusNames[i], targetAfter[i] - target[i] - ours);
        }
        return new Counted(run, sourceCounts, targetCounts);
    }

    /**
     * Pools of one connection each, past what a fresh connection asks once (driver set-up, server identity,
     * default schema): two runs of a mapping of their own, so counted runs count what the mapping's run sends.
     */
    private DataSources warmedUpOneConnectionEach() {
        DataSources pools = new DataSources(Map.of(
                "source", DataSources.pool("source", sourceServer.jdbcUrl(sourceDb), sourceServer.username(),
                        sourceServer.password(), 1),
                "target", DataSources.pool("target", targetServer.jdbcUrl(targetDb), targetServer.username(),
                        targetServer.password(), 1)));
        source("CREATE TABLE counted_warm_up (id INT PRIMARY KEY, updated_at DATETIME(6) NOT NULL,"
                + " INDEX (updated_at))", "INSERT INTO counted_warm_up VALUES (1, NOW(6))");
        Mapping warmUp = mapping("counted-warm-up", "counted_warm_up");
        for (int i = 0; i < 2; i++) {
            RunResult run = run(warmUp, RunObserver.NONE, false, pools);
            if (!run.succeeded()) {
                throw new AssertionError("warm-up run failed: " + run.summary(), run.error().get());
            }
        }
        return pools;
    }

    /** A run and the counts of what it sent to each server, by status counter name. */
    record Counted(RunResult run, Map<String, Long> source, Map<String, Long> target) {
    }

    /** The named session counters of the pool's one connection, the very session the runs use. */
    static long[] sessionStatus(DataSources pools, String connection, String... names) {
        try (Connection c = pools.connect(connection); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW SESSION STATUS WHERE Variable_name IN ('"
                        + String.join("', '", names) + "')")) {
            Map<String, Long> values = new java.util.HashMap<>();
            while (rs.next()) {
                values.put(rs.getString(1), rs.getLong(2));
            }
            long[] counts = new long[names.length];
            for (int i = 0; i < names.length; i++) {
                counts[i] = java.util.Objects.requireNonNull(values.get(names[i]), names[i]);
            }
            return counts;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A server-wide status counter such as {@code Com_load}; other test classes' services may add to
     * it at any time, so a test comparing two readings may only ask for at least a difference.
     */
    public static long globalStatus(TestServer server, String name) {
        try (Connection c = server.connect(""); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE '" + name + "'")) {
            rs.next();
            return rs.getLong(2);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public void target(String... sql) {
        targetServer.execute(targetDb, sql);
    }

    /** Every row as hex of the server's text, in key order; FLOAT widened like the reader does. */
    public static List<String> rows(TestServer server, String db, String select) {
        try (Connection c = server.connect(db); Statement s = c.createStatement()) {
            s.execute("SET time_zone = '+00:00'");
            try (ResultSet rs = s.executeQuery(select)) {
                List<String> rows = new ArrayList<>();
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    String[] values = new String[n];
                    for (int i = 0; i < n; i++) {
                        byte[] v = rs.getBytes(i + 1);
                        values[i] = v == null ? "NULL" : HexFormat.of().formatHex(v);
                    }
                    rows.add(Arrays.toString(values));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(select + ": " + e.getMessage(), e);
        }
    }

    /**
     * Engine properties with one binlog mapping per table, of the same name, from this fixture's source database
     * to its target database; a mutable map, for tests to add to.
     */
    public Map<String, String> binlogProperties(String... tables) {
        Map<String, String> p = new java.util.HashMap<>();
        p.put("tablesync.connections.src.url", sourceServer.jdbcUrl(sourceDb));
        p.put("tablesync.connections.src.username", sourceServer.username());
        p.put("tablesync.connections.src.password", sourceServer.password());
        p.put("tablesync.connections.dst.url", targetServer.jdbcUrl(targetDb));
        p.put("tablesync.connections.dst.username", targetServer.username());
        p.put("tablesync.connections.dst.password", targetServer.password());
        p.put("tablesync.state-schema", STATE_SCHEMA);
        p.put("tablesync.shutdown-timeout", "10s");
        for (String table : tables) {
            p.put("tablesync.mappings." + table + ".source", "src");
            p.put("tablesync.mappings." + table + ".source-table", table);
            p.put("tablesync.mappings." + table + ".target", "dst");
            p.put("tablesync.mappings." + table + ".mode", "binlog");
        }
        return p;
    }

    /** Whether the table holds the same rows on both sides; false while the target table is not there yet. */
    public boolean sameRows(String table) {
        String q = "SELECT * FROM `" + table + "` ORDER BY 1";
        try {
            return sourceRows(q).equals(targetRows(q));
        } catch (IllegalStateException e) {
            return false;
        }
    }

    public List<String> sourceRows(String select) {
        return rows(sourceServer, sourceDb, select);
    }

    public List<String> targetRows(String select) {
        return rows(targetServer, targetDb, select);
    }

    /** Source and target give the same rows for {@code query}; a failure names the first difference only. */
    public void assertSameRows(String query) {
        List<String> source = sourceRows(query);
        List<String> target = targetRows(query);
        for (int i = 0; i < Math.min(source.size(), target.size()); i++) {
            if (!source.get(i).equals(target.get(i))) {
                throw new AssertionError(query + ": row " + i + " differs: source " + source.get(i) + " target "
                        + target.get(i));
            }
        }
        if (source.size() != target.size()) {
            throw new AssertionError(query + ": source has " + source.size() + " rows, target " + target.size());
        }
    }

    public static long count(TestServer server, String db, String sql) {
        try (Connection c = server.connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public long targetCount(String sql) {
        return count(targetServer, targetDb, sql);
    }

    @Override
    public void close() {
        dataSources.close();
        if (oneConnectionEach != null) {
            oneConnectionEach.close();
        }
    }
}
