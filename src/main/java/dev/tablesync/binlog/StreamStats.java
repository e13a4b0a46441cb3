package dev.tablesync.binlog;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one {@link SourceStream} reports for metrics: whether it is connected, how many events it has received
 * and how many times it reconnected after losing its connection, and how far it is behind the end of the source's
 * log in bytes. Thread-safe; read by the metrics package, written by the stream.
 */
public final class StreamStats {

    private final AtomicLong events = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile boolean connected;
    private volatile long bytesBehind = -1;

    /** 1 while the stream has a connection reading the log, else 0. */
    public double connected() {
        return connected ? 1 : 0;
    }

    /** Events received since the process started, heartbeats included. */
    public long events() {
        return events.get();
    }

    /** Connections opened again after one was lost (not the first, not after a subscriber joined). */
    public long reconnects() {
        return reconnects.get();
    }

    /**
     * Bytes of the source's log between where the stream has read and where the log ended at the last check (once
     * a second), counting every file in between whole; NaN when unknown (not connected yet, or the stream's file
     * is not among the server's listed files).
     */
    public double bytesBehind() {
        long b = bytesBehind;
        return b < 0 ? Double.NaN : b;
    }

    void connected(boolean now) {
        connected = now;
        if (!now) {
            bytesBehind = -1;
        }
    }

    void event() {
        events.incrementAndGet();
    }

    void reconnected() {
        reconnects.incrementAndGet();
    }

    void bytesBehind(long bytes) {
        bytesBehind = bytes;
    }
}
