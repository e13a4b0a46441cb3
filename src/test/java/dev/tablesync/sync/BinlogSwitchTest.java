package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.checkpoint.Checkpoint;
import dev.tablesync.config.Mapping;
import dev.tablesync.schema.Mode;
import dev.tablesync.testsupport.TestConfig;

/**
 * A timestamp mapping restarted with mode binlog switches without a snapshot while writers go on: the position is
 * recorded, the timestamp window passes it, and the log is followed from it, deletes included.
 */
class BinlogSwitchTest {

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("binlog_switch");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    @Test
    void shouldSwitchFromTimestampToBinlogUnderWritesWithoutASnapshotAndLoseNothing() throws Exception {
        fx.source("CREATE TABLE sw (id INT PRIMARY KEY, v INT NOT NULL, updated_at TIMESTAMP(6) NOT NULL"
                + " DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX (updated_at))");
        StringBuilder values = new StringBuilder();
        for (int i = 1; i <= 3000; i++) {
            values.append(i == 1 ? "" : ",").append("(").append(i).append(", 0, NOW(6))");
        }
        fx.source("INSERT INTO sw VALUES " + values);
        Mapping timestamp = TestConfig.edit(fx.mapping("sw", "sw")).withMode(Mode.TIMESTAMP, "updated_at")
                .withCommitDelay(Duration.ofMillis(300)).build();
        Mapping binlog = TestConfig.edit(timestamp).withMode(Mode.BINLOG, null).build();
        fx.runOk(timestamp);

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicBoolean deleting = new AtomicBoolean();
        AtomicInteger deletes = new AtomicInteger();
        Thread writer = new Thread(() -> write(writing, deleting, deletes));
        writer.start();
        RunResult switched;
        try {
            Thread.sleep(300);
            fx.runOk(timestamp);
            // Timestamp polling cannot see a hard delete: the writer deletes once the switch recorded its position.
            switched = fx.run(binlog, new RunObserver() {
                @Override
                public void batchCommitted(Checkpoint checkpoint, WriteCounts batch) {
                    if (checkpoint.switching() || checkpoint.mode() == Mode.BINLOG) {
                        deleting.set(true);
                    }
                }
            }, false);
            deleting.set(true);
            Thread.sleep(500);
        } finally {
            writing.set(false);
            writer.join();
        }
        assertTrue(switched.succeeded(), switched.summary());
        fx.source("DELETE FROM sw WHERE id BETWEEN 10 AND 19");
        RunResult after = fx.runOk(binlog);

        assertEquals("binlog", switched.kind(), "no snapshot: " + switched.summary());
        assertTrue(switched.rowsRead() < 3000, "only changed rows were copied: " + switched.summary());
        assertEquals(Mode.BINLOG, switched.checkpoint().orElseThrow().mode());
        assertEquals("binlog", after.kind());
        assertTrue(deletes.get() > 0, "the writer deleted after the switch");
        assertEquals(0, fx.targetCount("SELECT COUNT(*) FROM sw WHERE id BETWEEN 10 AND 19"));
        fx.assertSameRows("SELECT id, v FROM sw ORDER BY id");
    }

    private static void write(AtomicBoolean writing, AtomicBoolean deleting, AtomicInteger deletes) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        try (Connection c = fx.sourceServer.connect(fx.sourceDb); var s = c.createStatement()) {
            while (writing.get()) {
                int id = 20 + r.nextInt(3500);
                int op = r.nextInt(3);
                if (op == 0 && deleting.get()) {
                    deletes.addAndGet(s.executeUpdate("DELETE FROM sw WHERE id = " + id));
                } else if (op == 1) {
                    s.execute("UPDATE sw SET v = v + 1 WHERE id = " + id);
                } else {
                    s.execute("INSERT INTO sw (id, v) VALUES (" + id + ", 1) ON DUPLICATE KEY UPDATE v = v + 10");
                }
                Thread.sleep(2);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldResumeASwitchInterruptedAfterItsPositionWasCommitted() {
        fx.source("CREATE TABLE resumed (id INT PRIMARY KEY, v INT NOT NULL, updated_at TIMESTAMP(6) NOT NULL"
                + " DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX (updated_at))",
                "INSERT INTO resumed (id, v) VALUES (1, 0), (2, 0), (3, 0)");
        Mapping timestamp = TestConfig.edit(fx.mapping("resumed", "resumed")).withMode(Mode.TIMESTAMP, "updated_at")
                .build();
        Mapping binlog = TestConfig.edit(timestamp).withMode(Mode.BINLOG, null).build();
        fx.runOk(timestamp);
        fx.source("UPDATE resumed SET v = 1 WHERE id = 1");
        RunResult crashed = fx.run(binlog, new RunObserver() {
            @Override
            public void batchCommitted(Checkpoint checkpoint, WriteCounts batch) {
                throw new IllegalStateException("crash after a committed batch of the switch");
            }
        }, false);
        assertFalse(crashed.succeeded(), crashed.summary());
        fx.source("DELETE FROM resumed WHERE id = 2", "INSERT INTO resumed (id, v) VALUES (4, 0)");
        RunResult resumed = fx.runOk(binlog);

        assertEquals("binlog", resumed.kind(), resumed.summary());
        assertEquals(Mode.BINLOG, resumed.checkpoint().orElseThrow().mode());
        fx.assertSameRows("SELECT id, v FROM resumed ORDER BY id");
    }

    @Test
    void shouldSayOnceUnderAutoThatBinlogIsAvailable() {
        fx.source("CREATE TABLE hinted (id INT PRIMARY KEY, updated_at TIMESTAMP(6) NOT NULL"
                + " DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX (updated_at))",
                "INSERT INTO hinted (id) VALUES (1), (2)");
        Mapping auto = TestConfig.edit(fx.mapping("hinted", "hinted")).withMode(Mode.AUTO, null).build();
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage()
                        : r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(BinlogSwitch.class.getName());
        log.addHandler(capture);
        try {
            RunResult first = fx.runOk(auto);
            fx.runOk(auto);
            assertFalse(first.kind().contains("binlog"), "auto keeps today's choice: " + first.kind());
        } finally {
            log.removeHandler(capture);
        }
        assertEquals(1, logged.stream().filter(t -> t.contains("hinted: mode=binlog is available")).count(),
                String.join("\n", logged));
    }
}
