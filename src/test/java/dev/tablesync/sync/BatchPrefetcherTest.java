package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class BatchPrefetcherTest {

    private static final List<byte[][]> BATCH = List.<byte[][]>of(new byte[][] {{1}});

    @Test
    void shouldHandOverBatchesInOrderThenTheEnd() throws SQLException {
        try (BatchPrefetcher<List<byte[][]>> batches = new BatchPrefetcher<>("test", h -> {
            h.hand(BATCH);
            h.hand(BATCH);
        })) {
            assertEquals(BATCH, batches.next().orElseThrow());
            assertEquals(BATCH, batches.next().orElseThrow());
            assertFalse(batches.next().isPresent());
        }
    }

    @Test
    void shouldPassTheReadersSqlErrorToTheWriter() {
        try (BatchPrefetcher<List<byte[][]>> batches = new BatchPrefetcher<>("test", h -> {
            throw new SQLException("source went away");
        })) {
            assertEquals("source went away", assertThrows(SQLException.class, batches::next).getMessage());
        }
    }

    @Test
    void shouldPassAnErrorThatKilledTheReaderInsteadOfWaitingForever() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (BatchPrefetcher<List<byte[][]>> batches = new BatchPrefetcher<>("test", h -> {
                // Not an OutOfMemoryError: JUnit treats that one as fatal to the whole test run.
                throw new LinkageError("class missing from the image");
            })) {
                assertEquals("class missing from the image",
                        assertThrows(LinkageError.class, batches::next).getMessage());
            }
        });
    }

    @Test
    void shouldReadEachRunUnderItsOwnNameOnThreadsKeptBetweenRuns() throws SQLException {
        java.util.Set<Thread> threads = new java.util.HashSet<>();
        for (int run = 0; run < 20; run++) {
            String name = "tablesync-read-run" + run;
            java.util.List<String> seen = new java.util.ArrayList<>();
            try (BatchPrefetcher batches = new BatchPrefetcher(name, h -> {
                seen.add(Thread.currentThread().getName() + (Thread.currentThread().isInterrupted() ? "!" : ""));
                threads.add(Thread.currentThread());
                h.hand(BATCH);
            })) {
                assertEquals(BATCH, batches.next().orElseThrow());
                assertFalse(batches.next().isPresent());
            }
            assertEquals(List.of(name), seen, "closed only once the reader is done");
        }
        assertTrue(threads.size() < 20, "reader threads are reused: " + threads.size());
    }
}
