package dev.tablesync.sync;

import dev.tablesync.schema.Mode;
import dev.tablesync.testsupport.TestConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.config.Mapping;

/**
 * Writers that commit late, while other sessions commit rows and runs move the window on: the
 * late rows must arrive all the same.
 */
class SlowWriterSyncTest {

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("slowwriter");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    /** Runs {@code sql} on its own connection in the background. */
    private static CompletableFuture<Void> background(String... sql) {
        return CompletableFuture.runAsync(() -> fx.source(sql));
    }

    /** For {@code seconds}: one committed row in {@code table} and one run, three times a second. */
    private static void steadyWritesAndRuns(Mapping m, String insert, double seconds) throws InterruptedException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            fx.source(insert);
            fx.runOk(m);
            Thread.sleep(200);
        }
    }

    @Test
    void shouldCopyRowsOfStatementsThatSleptLongerThanTheCommitDelayBeforeWriting() throws Exception {
        fx.source("CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, customer VARCHAR(40) NOT NULL,"
                + " updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
                + " INDEX (updated_at))",
                "INSERT INTO orders (customer) VALUES ('a'), ('b'), ('c'), ('d'), ('e'), ('f'), ('g'), ('h')");
        Mapping m = TestConfig.edit(fx.mapping("slow-statement", "orders")).withCommitDelay(Duration.ofMillis(500)).build();
        fx.runOk(m);
        Thread.sleep(100); // the slow statements start after the first run's bound

        CompletableFuture<Void> slowInsert = background("INSERT INTO orders (customer) SELECT CONCAT('x', SLEEP(3))");
        CompletableFuture<Void> slowUpdate = background("UPDATE orders SET customer = 'y' WHERE id = 7 AND SLEEP(3) = 0");
        steadyWritesAndRuns(m, "INSERT INTO orders (customer) VALUES ('steady')", 4.5);
        slowInsert.get(30, TimeUnit.SECONDS);
        slowUpdate.get(30, TimeUnit.SECONDS);
        Thread.sleep(600);
        fx.runOk(m);

        assertEquals(1, fx.targetCount("SELECT COUNT(*) FROM orders WHERE customer = 'x0'"), "the slow insert's row");
        assertEquals(1, fx.targetCount("SELECT COUNT(*) FROM orders WHERE id = 7 AND customer = 'y'"),
                "the slow update's row");
        fx.assertSameRows("SELECT * FROM orders ORDER BY id");
    }

    @Test
    void shouldCopyRowsCommittedOutOfIdOrderInIdMode() throws Exception {
        fx.source("CREATE TABLE events (id BIGINT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(40) NOT NULL)",
                "INSERT INTO events (note) VALUES ('a'), ('b'), ('c')");
        Mapping m = TestConfig.edit(fx.mapping("out-of-order", "events")).withMode(Mode.ID, null).build();
        fx.runOk(m);

        CompletableFuture<Void> slow = CompletableFuture.runAsync(() -> {
            try (Connection c = fx.sourceServer.connect(fx.sourceDb); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("INSERT INTO events (note) VALUES ('slow')");
                s.execute("DO SLEEP(3)");
                c.commit();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        steadyWritesAndRuns(m, "INSERT INTO events (note) VALUES ('steady')", 4);
        slow.get(30, TimeUnit.SECONDS);
        fx.runOk(m);

        assertEquals(1, fx.targetCount("SELECT COUNT(*) FROM events WHERE note = 'slow'"), "the slow transaction's row");
        fx.assertSameRows("SELECT * FROM events ORDER BY id");
    }
}
