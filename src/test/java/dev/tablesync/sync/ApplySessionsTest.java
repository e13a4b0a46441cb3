package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.tablesync.binlog.BinlogPosition;
import dev.tablesync.binlog.SourceStreams;
import dev.tablesync.schema.TableId;

/** The line of apply sessions of one mapping: it goes on only while each session leaves its subscription. */
class ApplySessionsTest {

    private static final String SERVER = "mariadb:1:0123456789ab";
    private static final BinlogPosition AT = new BinlogPosition(SERVER, Optional.empty(), "binlog.000001", 400);

    private static RunResult ok() {
        return new RunResult("m", Instant.now(), Duration.ZERO, "binlog", "test", 0, WriteCounts.NONE,
                Optional.empty(), Optional.empty(), "");
    }

    private static LogQueue queue() {
        return new LogQueue("m", TableId.of("db", "t"), AT, 4);
    }

    @Test
    void shouldStartTheNextSessionAtOnceWhileEachLeavesItsSubscriptionAndEndWhenOneDoesNot() throws Exception {
        try (ApplySessions sessions = new ApplySessions(new SourceStreams())) {
            AtomicInteger runs = new AtomicInteger();
            LogQueue kept = queue();
            sessions.continuing("m", () -> {
                int n = runs.incrementAndGet();
                if (n > 1) {
                    assertEquals(Optional.of(kept), sessions.take("m", SERVER, AT), "the next takes it over");
                }
                if (n < 3) {
                    sessions.hold("m", SERVER, kept, AT); // its time was up
                }
                return ok();
            }, () -> false);
            assertEquals(3, runs.get(), "two sessions ended by time, the third by something else");
        }
    }

    @Test
    void shouldGiveUpASubscriptionTheNextSessionDidNotTake() throws Exception {
        try (ApplySessions sessions = new ApplySessions(new SourceStreams())) {
            AtomicInteger runs = new AtomicInteger();
            LogQueue kept = queue();
            sessions.continuing("m", () -> {
                if (runs.incrementAndGet() == 1) {
                    sessions.hold("m", SERVER, kept, AT);
                }
                assertTrue(runs.get() < 10, "the line does not end");
                return ok(); // the second run was paused: it never reached the log
            }, () -> false);
            assertEquals(2, runs.get(), "no endless line of runs that do not follow");
            assertTrue(kept.awaitRoom(0) && sessions.take("m", SERVER, AT).isEmpty(), "given up");
            kept.change(null); // dropped: the queue is closed
            assertEquals(null, kept.poll(0));
        }
    }

    @Test
    void shouldNotHandOverASubscriptionThatStandsElsewhereThanTheCheckpoint() throws Exception {
        try (ApplySessions sessions = new ApplySessions(new SourceStreams())) {
            sessions.hold("m", SERVER, queue(), AT);
            BinlogPosition further = new BinlogPosition(SERVER, Optional.empty(), "binlog.000001", 900);
            assertEquals(Optional.empty(), sessions.take("m", SERVER, further), "another replica applied meanwhile");
            assertEquals(Optional.empty(), sessions.take("m", SERVER, AT), "and it was given up");
        }
    }
}
