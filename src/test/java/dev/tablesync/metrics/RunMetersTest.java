package dev.tablesync.metrics;

import dev.tablesync.testsupport.TestConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.tablesync.config.ConflictPolicy;
import dev.tablesync.config.Mapping;
import dev.tablesync.schema.SchemaDriftException;
import dev.tablesync.sql.FailureReason;
import dev.tablesync.sync.MappingBusyException;
import dev.tablesync.sync.MappingException;
import dev.tablesync.sync.RowConflictException;
import dev.tablesync.sync.RunResult;
import dev.tablesync.sync.RunStoppedException;
import dev.tablesync.sync.WriteCounts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** What each kind of finished run adds to the counters and the duration histogram. */
class RunMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void shouldCountRowsReadWrittenAndKeptByTheSkipPolicy() {
        RunMeters meters = new RunMeters(mapping(ConflictPolicy.SKIP), registry);

        meters.record(run("incremental", 10, new WriteCounts(2, 3, 5), null));

        assertEquals(10, counter(Metrics.ROWS_READ));
        assertEquals(5, counter(Metrics.ROWS_WRITTEN));
        assertEquals(5, counter(Metrics.ROWS_SKIPPED));
        assertEquals(1, registry.get(Metrics.RUN_DURATION).timer().count());
        assertEquals(0, failures(FailureReason.FATAL.label()) + failures(FailureReason.TRANSIENT.label()));
    }

    @Test
    void shouldNotCountIdenticalRowsAsSkippedUnderOverwrite() {
        RunMeters meters = new RunMeters(mapping(ConflictPolicy.OVERWRITE), registry);

        meters.record(run("incremental", 10, new WriteCounts(2, 3, 5), null));

        assertEquals(0, counter(Metrics.ROWS_SKIPPED));
    }

    @Test
    void shouldCountFailuresByReasonAndAConflictOncePerRun() {
        RunMeters meters = new RunMeters(mapping(ConflictPolicy.ERROR), registry);

        meters.record(run("incremental", 4, new WriteCounts(1, 0, 0), new RowConflictException("row id=7 differs")));
        meters.record(run("none", 0, WriteCounts.NONE, new MappingException("source table x does not exist")));
        meters.record(run("incremental", 0, WriteCounts.NONE, new SQLTransientConnectionException("connection lost")));

        assertEquals(1, counter(Metrics.ROWS_CONFLICTED));
        assertEquals(2, failures(FailureReason.FATAL.label()));
        assertEquals(1, failures(FailureReason.TRANSIENT.label()));
        assertEquals(4, counter(Metrics.ROWS_READ));
        assertEquals(1, counter(Metrics.ROWS_WRITTEN));
        assertEquals(3, registry.get(Metrics.RUN_DURATION).timer().count());
    }

    @Test
    void shouldCountParkedRowsAsConflictedWithoutFailingTheRun() {
        RunMeters meters = new RunMeters(mapping(ConflictPolicy.PARK), registry);

        meters.record(run("incremental", 6, new WriteCounts(1, 2, 0, 0, 3), null));

        assertEquals(3, counter(Metrics.ROWS_CONFLICTED));
        assertEquals(3, counter(Metrics.ROWS_WRITTEN), "parked rows are not writes");
        assertEquals(0, failures(FailureReason.FATAL.label()) + failures(FailureReason.TRANSIENT.label()));
    }

    @Test
    void shouldCountDeletedRowsAndSchemaDriftAsItsOwnFailureReason() {
        RunMeters meters = new RunMeters(mapping(ConflictPolicy.OVERWRITE), registry);

        meters.record(run("incremental", 5, new WriteCounts(1, 1, 0, 3), null));
        meters.record(run("none", 0, WriteCounts.NONE, new SchemaDriftException("column `note` was dropped")));

        assertEquals(3, counter(Metrics.ROWS_DELETED));
        assertEquals(2, counter(Metrics.ROWS_WRITTEN), "deletions are not writes");
        assertEquals(1, failures(FailureReason.SCHEMA_DRIFT.label()));
        assertEquals(0, failures(FailureReason.FATAL.label()) + failures(FailureReason.TRANSIENT.label()));
    }

    @Test
    void shouldIgnorePausedSkipsAndRunsHeldByAnotherReplica() {
        RunMeters meters = new RunMeters(mapping(ConflictPolicy.OVERWRITE), registry);

        meters.record(run(RunResult.PAUSED, 0, WriteCounts.NONE, null));
        meters.record(run("none", 0, WriteCounts.NONE, new MappingBusyException("held by another replica")));

        assertEquals(0, registry.get(Metrics.RUN_DURATION).timer().count());
        assertEquals(0, failures(FailureReason.FATAL.label()) + failures(FailureReason.TRANSIENT.label()));
    }

    @Test
    void shouldCountRowsButNoFailureForARunStoppedByShutdown() {
        RunMeters meters = new RunMeters(mapping(ConflictPolicy.OVERWRITE), registry);

        meters.record(run("snapshot", 1000, new WriteCounts(1000, 0, 0), new RunStoppedException("stopped")));

        assertEquals(1000, counter(Metrics.ROWS_WRITTEN));
        assertEquals(0, failures(FailureReason.FATAL.label()) + failures(FailureReason.TRANSIENT.label()));
    }

    @Test
    void shouldRegisterEverySeriesAtZeroBeforeTheFirstRun() {
        new RunMeters(mapping(ConflictPolicy.OVERWRITE), registry);

        for (String name : new String[] {Metrics.ROWS_READ, Metrics.ROWS_WRITTEN, Metrics.ROWS_SKIPPED,
                Metrics.ROWS_CONFLICTED, Metrics.ROWS_DELETED}) {
            assertEquals(0, counter(name), name);
        }
        assertEquals(0, failures(FailureReason.FATAL.label()));
        assertEquals(0, failures(FailureReason.TRANSIENT.label()));
        assertEquals(0, failures(FailureReason.SCHEMA_DRIFT.label()));
        assertEquals(0, registry.get(Metrics.RUN_DURATION).tag(Metrics.MAPPING, "orders").timer().count());
    }

    private static Mapping mapping(ConflictPolicy policy) {
        return TestConfig.edit(TestConfig.mapping("orders", "src", "shop.orders", "dst", "orders")).withConflict(policy).build();
    }

    private static RunResult run(String kind, long read, WriteCounts counts, Throwable error) {
        return new RunResult("orders", Instant.EPOCH, Duration.ofMillis(120), kind, "timestamp(updated_at)", read,
                counts, Optional.empty(), Optional.ofNullable(error), "");
    }

    private double counter(String name) {
        return registry.get(name).tag(Metrics.MAPPING, "orders").counter().count();
    }

    private double failures(String reason) {
        return registry.get(Metrics.RUN_FAILURES).tag(Metrics.MAPPING, "orders").tag(Metrics.REASON, reason).counter()
                .count();
    }
}
