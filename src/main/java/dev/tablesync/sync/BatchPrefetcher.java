package dev.tablesync.sync;

import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Reads batches on its own thread while the caller writes the previous ones, so the source and
 * the target work at the same time. At most {@link #AHEAD} batches wait, so memory stays a few
 * batches whatever the table size. Nothing here touches the checkpoint: the writer still commits
 * each batch with its own, and a failure on either side stops both.
 */
final class BatchPrefetcher<B> implements AutoCloseable {

    static final int AHEAD = 2;
    private static final Object END = new Object();

    /** Reads batches in order and hands each one over; returns at the end of the data. */
    interface Producer<B> {
        void produce(Handoff<B> handoff) throws SQLException;
    }

    /** Takes a read batch; blocks while {@link #AHEAD} batches wait. */
    interface Handoff<B> {
        void hand(B batch);

        /**
         * Whether the writer gave up: a producer that may wait long without handing anything over (a log
         * source while the source is idle) asks, and returns, so that closing does not wait for it.
         */
        default boolean cancelled() {
            return false;
        }
    }

    /**
     * Reader threads outlive a run: a mapping that runs every second would otherwise start a thread
     * each time, half a millisecond of an idle run in a JVM that never gets that code compiled.
     */
    private static volatile ExecutorService readers;

    private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(AHEAD);
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Throwable failure;
    private volatile boolean cancelled;

    BatchPrefetcher(String threadName, Producer<B> producer) {
        readers().execute(() -> {
            Thread current = Thread.currentThread();
            current.setName(threadName);
            try {
                read(producer);
            } finally {
                // The thread reads for the next run: no interrupt of this one may reach it.
                Thread.interrupted();
                current.setName("tablesync-read");
                done.countDown();
            }
        });
    }

    /** Made on first use, not in a static initialiser: a native image would run that at build time. */
    private static ExecutorService readers() {
        ExecutorService pool = readers;
        if (pool == null) {
            synchronized (BatchPrefetcher.class) {
                pool = readers;
                if (pool == null) {
                    pool = Executors.newCachedThreadPool(r -> {
                        Thread t = new Thread(r, "tablesync-read");
                        t.setDaemon(true);
                        return t;
                    });
                    readers = pool;
                }
            }
        }
        return pool;
    }

    /** The next batch in order, or empty at the end. */
    @SuppressWarnings("unchecked") // only the producer's batches and END are ever queued
    Optional<B> next() throws SQLException {
        try {
            Object batch;
            do {
                batch = ready.poll(100, TimeUnit.MILLISECONDS);
                rethrow();
            } while (batch == null);
            return batch == END ? Optional.empty() : Optional.of((B) batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the source", e);
        }
    }

    private void read(Producer<B> producer) {
        try {
            producer.produce(new Handoff<B>() {
                @Override
                public void hand(B batch) {
                    BatchPrefetcher.this.hand(batch);
                }

                @Override
                public boolean cancelled() {
                    return cancelled;
                }
            });
            hand(END);
        } catch (Cancelled e) {
            // cancelled by the writer: it already has its own reason to stop
        } catch (Throwable e) {
            // Errors too (an OutOfMemoryError on a huge row): the writer must not wait forever.
            failure = e;
        }
    }

    /** Leaves the producer (and a driver's row loop) when the writer gave up. */
    private static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    private void hand(Object batch) {
        try {
            while (!ready.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                if (cancelled) {
                    throw new Cancelled();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cancelled();
        }
    }

    private void rethrow() throws SQLException {
        Throwable e = failure;
        if (e instanceof SQLException sql) {
            throw sql;
        }
        if (e instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
    }

    /** Stops the reader (if still going) and waits for it, so the source connection is free again. */
    @Override
    public void close() {
        cancelled = true;
        ready.clear();
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
