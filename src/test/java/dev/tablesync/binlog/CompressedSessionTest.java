package dev.tablesync.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.sql.FailureReason;
import dev.tablesync.sql.SqlErrors;
import dev.tablesync.testsupport.TestServer;
import dev.tablesync.testsupport.TestServers;

/**
 * A session that turns {@code binlog_transaction_compression} on for itself passes the preconditions (they read the
 * global value) and writes a compressed payload that the stream must refuse with a message naming the fix.
 */
class CompressedSessionTest {

    static final String DB = "binlog_compressed";
    static TestServer source;

    @BeforeAll
    static void setUp() {
        source = TestServers.get().source();
        source.recreateDatabase(DB);
        source.execute(DB, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(100))");
    }

    @Test
    void shouldFailTheSubscriberNamingTheFixWhenASessionWritesACompressedTransaction() throws Exception {
        assumeTrue(source.flavor().equals("mysql"), "only MySQL 8.0.20+ compresses its binary log");
        BinlogPosition start = Recording.now(source);
        Recording r = new Recording("orders", DB, "t", start);
        try (SourceStreams streams = new SourceStreams()) {
            streams.join(Recording.endpoint(source, start, 3_000_000_601L), r);
            try (Connection c = source.connect(DB); Statement s = c.createStatement()) {
                s.execute("SET SESSION binlog_transaction_compression = ON");
                s.execute("INSERT INTO t VALUES (1, 'compressed')");
            }
            Recording.await(() -> !r.failures.isEmpty() || r.applied.containsKey(1), Duration.ofSeconds(30));
        }
        assertEquals(1, r.failures.size(), "failed once, not reconnecting to the same event: " + r.failures);
        Exception failure = r.failures.get(0);
        assertTrue(failure instanceof IllegalStateException, "fatal, not retried: " + failure);
        assertTrue(failure.getMessage().contains("compressed transaction payload") && failure.getMessage().contains(
                "SET PERSIST binlog_transaction_compression = OFF") && failure.getMessage().contains("reset the mapping"),
                failure.getMessage());
        assertEquals(FailureReason.FATAL, SqlErrors.category(failure));
        assertEquals(start, r.last, "nothing committed past the refused transaction");
    }
}
