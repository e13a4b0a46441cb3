package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The run-once summary line is an interface: scripts and CronJob logs parse it. */
class RunResultTest {

    @Test
    void shouldPrintOneParsableLinePerMappingWithTheErrorLast() {
        RunResult ok = new RunResult("orders", Instant.EPOCH, Duration.ofMillis(1234), "incremental",
                "timestamp(updated_at)", 120, new WriteCounts(20, 100, 0), Optional.empty(), Optional.empty(), "detected");
        RunResult failed = new RunResult("ghost", Instant.EPOCH, Duration.ofMillis(5), "none", "unknown", 0,
                WriteCounts.NONE, Optional.empty(), Optional.of(new MappingException("source table x does not exist")), "");

        assertEquals("mapping=orders status=ok mode=timestamp(updated_at) run=incremental read=120 written=120"
                + " inserted=20 updated=100 unchanged=0 duration=1.234s checkpoint=none", ok.summary());
        assertEquals("mapping=ghost status=failed mode=unknown run=none read=0 written=0 inserted=0 updated=0"
                + " unchanged=0 duration=0.005s checkpoint=none error=\"source table x does not exist\"",
                failed.summary());
    }

    @Test
    void shouldSayBusyAndStoppedRatherThanFailedWhenNothingWentWrong() {
        RunResult busy = new RunResult("orders", Instant.EPOCH, Duration.ofMillis(4), "none", "unknown", 0,
                WriteCounts.NONE, Optional.empty(), Optional.of(new MappingBusyException("mapping orders is already"
                        + " running")), "");
        RunResult stopped = new RunResult("orders", Instant.EPOCH, Duration.ofMillis(4), "binlog", "binlog", 3,
                new WriteCounts(3, 0, 0), Optional.empty(), Optional.of(new RunStoppedException("stopped for"
                        + " shutdown")), "");

        assertEquals("mapping=orders status=busy mode=unknown run=none read=0 written=0 inserted=0 updated=0"
                + " unchanged=0 duration=0.004s checkpoint=none error=\"mapping orders is already running\"",
                busy.summary());
        assertTrue(stopped.summary().startsWith("mapping=orders status=stopped mode=binlog run=binlog read=3"),
                stopped.summary());
    }
}
