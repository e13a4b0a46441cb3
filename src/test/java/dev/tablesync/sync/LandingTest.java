package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.config.Mapping;

/** The one rule for a sink that declines a batch, as {@link Landing} applies it. */
class LandingTest {

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("landing");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    @Test
    void shouldLogWhyASinkDeclinedABatchEvenWhenTheRollbackAfterItFailsOnADeadConnection() throws SQLException {
        String create = "CREATE TABLE declined (id INT PRIMARY KEY, updated_at DATETIME(6) NOT NULL,"
                + " INDEX (updated_at))";
        fx.source(create, "INSERT INTO declined VALUES (1, NOW(6))");
        fx.target(create);
        Mapping m = fx.mapping("declined", "declined");
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger landingLog = java.util.logging.Logger.getLogger(Landing.class.getName());
        landingLog.addHandler(capture);
        try (Connection source = fx.dataSources.connect("source");
                Connection target = fx.dataSources.connect("target")) {
            SyncPlan plan = SyncPlan.prepare(m, source, fx.dataSources.dialect("source", source), target,
                    fx.dataSources.dialect("target", target));
            target.setAutoCommit(false);
            Sink declining = new Sink() {
                @Override
                public WriteCounts write(Connection c, Batch batch) {
                    throw new Declined("the staging table did not take every row exactly: Warnings: 1");
                }

                @Override
                public String label() {
                    return "staged write";
                }
            };
            Landing landing = new Landing(plan, rollbackFails(target), new BatchWriter(plan, 1 << 20),
                    new KnownTarget(), "run", declining);
            byte[][] row = {"2".getBytes(StandardCharsets.UTF_8),
                "2024-01-01 00:00:00".getBytes(StandardCharsets.UTF_8)};
            Batch batch = Batch.ofRows(List.<byte[][]>of(row));

            SQLException e = assertThrows(SQLException.class, () -> landing.write(batch));

            assertEquals("08003", e.getSQLState(), "the rollback's failure fails the run");
            List<String> messages = logged.stream().map(LandingTest::text).toList();
            assertTrue(messages.stream().anyMatch(t -> t.contains("Mapping declined: staged write into")
                    && t.contains("declined (the staging table did not take every row exactly: Warnings: 1)")),
                    "the decline's reason is in the log although the rollback after it failed: " + messages);
            target.rollback();
        } finally {
            landingLog.removeHandler(capture);
        }
    }

    /**
     * Binlog apply: a source transaction spans batches of one target transaction, so a batch declined after the
     * first is rolled back alone (to its savepoint) and upserted; the first batch's rows stay for the commit.
     */
    @Test
    void shouldKeepTheEarlierBatchesOfASourceTransactionWhenBinlogApplyDeclinesALaterOne() throws SQLException {
        String create = "CREATE TABLE declined_log (id INT PRIMARY KEY, updated_at DATETIME(6) NOT NULL)";
        fx.source(create);
        fx.target(create);
        Mapping m = fx.mapping("declined-log", "declined_log");
        try (Connection source = fx.dataSources.connect("source");
                Connection target = fx.dataSources.connect("target")) {
            SyncPlan plan = SyncPlan.prepare(m, source, fx.dataSources.dialect("source", source), target,
                    fx.dataSources.dialect("target", target));
            target.setAutoCommit(false);
            BatchWriter upserts = new BatchWriter(plan, 1 << 20);
            Sink secondDeclines = new Sink() {
                private int calls;

                @Override
                public WriteCounts write(Connection c, Batch batch) throws SQLException {
                    WriteCounts counts = upserts.write(c, batch);
                    if (++calls == 2) {
                        throw new Declined("the staging table did not take every row exactly: Warnings: 1");
                    }
                    return counts;
                }

                @Override
                public String label() {
                    return "staged write";
                }
            };
            Landing landing = new Landing(plan, target, upserts, new KnownTarget(), Landing.LOG_PHASE,
                    secondDeclines);

            landing.write(Batch.ofLog(List.<byte[][]>of(row(1), row(2)), List.<byte[][]>of(), Optional.empty()));
            WriteCounts second = landing.write(Batch.ofLog(List.<byte[][]>of(row(3)), List.<byte[][]>of(),
                    Optional.empty()));
            target.commit();

            assertEquals(1, second.inserted(), "the declined batch upserted once");
            assertEquals(3, fx.targetCount("SELECT COUNT(*) FROM declined_log"), "the first batch's rows stayed");
        }
    }

    private static byte[][] row(int id) {
        return new byte[][] {String.valueOf(id).getBytes(StandardCharsets.UTF_8),
            "2024-01-01 00:00:00".getBytes(StandardCharsets.UTF_8)};
    }

    private static String text(LogRecord r) {
        return r instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage() : r.getMessage();
    }

    /** The connection as it is once the server has gone: rollback throws, as on a closed connection. */
    private static Connection rollbackFails(Connection target) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("rollback") && (args == null || args.length == 0)) {
                        throw new SQLException("No operations allowed after connection closed.", "08003");
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
