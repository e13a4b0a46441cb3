package dev.tablesync.sync;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.tablesync.binlog.ClientServerId;
import dev.tablesync.binlog.SourceStreams;
import dev.tablesync.checkpoint.RunRecord;
import dev.tablesync.config.Mapping;
import dev.tablesync.config.Settings;
import dev.tablesync.sql.DataSources;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;

/**
 * Runs mappings: never runs one mapping twice at once in this process, caps concurrent runs
 * (through {@link RunSlots}), backs off after failures, and stops cleanly on shutdown. Every
 * finished run is announced as a {@link RunResult} event (metrics listen). Start-up refuses a
 * mapping whose target is its own source on the same server, which only the servers can tell.
 */
@Startup
@ApplicationScoped
public class SyncEngine {

    private static final Logger LOG = Logger.getLogger(SyncEngine.class);

    private final MappingStates states;
    private final DataSources dataSources;
    private final String stateSchema;
    private final MappingControl control;
    private final RunSlots slots;
    private final Backoff backoff;
    private final Duration shutdownTimeout;
    private final Event<RunResult> finished;
    private final Clock clock = Clock.systemUTC();
    /** One binlog stream per source server for every binlog mapping this process runs; none until one runs. */
    private final ApplySessions sessions;
    private volatile boolean stopping;
    /** Shutdown aborted the connections of runs still going: their errors say so. */
    private volatile boolean aborted;

    /** What a run does, given its claimed mapping; tests replace it to make runs take a known time. */
    private final BiFunction<MappingState, RunRequest, RunResult> runBody;

    @Inject
    public SyncEngine(Settings settings, DataSources dataSources, RunSlots slots, Backoff backoff,
            Event<RunResult> finished) {
        this(settings, dataSources, slots, backoff, finished, null);
    }

    /** @param runBody what a run does instead of a {@link MappingRun}; null for a real run */
    SyncEngine(Settings settings, DataSources dataSources, RunSlots slots, Backoff backoff, Event<RunResult> finished,
            BiFunction<MappingState, RunRequest, RunResult> runBody) {
        this.runBody = runBody != null ? runBody : this::mappingRun;
        this.states = new MappingStates(settings.mappings().values());
        this.dataSources = dataSources;
        SourceIsTarget.refuseAtStartUp(states.mappings(), dataSources);
        this.stateSchema = settings.stateSchema();
        this.control = new MappingControl(dataSources, stateSchema);
        this.slots = slots;
        this.backoff = backoff;
        this.shutdownTimeout = settings.shutdownTimeout();
        this.finished = finished;
        this.sessions = new ApplySessions(new SourceStreams(), settings.binlogServerId().map(ClientServerId::new)
                .orElseGet(ClientServerId::ofThisHost));
        if (states.all().isEmpty()) {
            LOG.warn("No mappings configured: set tablesync.mappings.<id>.source, source-table and target");
        }
        states.all().forEach(s -> RunLog.configured(s.mapping));
    }

    public Collection<Mapping> mappings() {
        return states.mappings();
    }

    public Mapping mapping(String id) {
        return states.get(id).mapping;
    }

    public MappingStatus status(String id) {
        return states.get(id).status(clock.instant());
    }

    public List<MappingStatus> statuses() {
        return states.statuses(clock.instant());
    }

    /** How long the oldest run in progress has been going. */
    public Optional<Duration> longestRunning() {
        return states.longestRunning(clock.instant());
    }

    /**
     * Runs one mapping now and waits for it.
     *
     * @throws MappingBusyException when this process is already running it
     */
    public RunResult run(String id, RunRequest request) {
        MappingState s = states.claim(id, "is already running in this process", clock.instant());
        return slots.run(s, () -> execute(s, request));
    }

    /**
     * A scheduler tick: skipped while shutting down, backing off or running; at the run cap the
     * mapping waits in line and runs on a slot thread when its turn comes (then the result is empty).
     * A binlog session that ended because its time was up is followed at once by the next (the result
     * is the last one's).
     */
    public Optional<RunResult> runScheduled(String id) {
        MappingState s = states.get(id);
        return scheduled("sync " + id, s, true, () -> sessions.continuing(id, () -> {
            s.restarted(clock.instant()); // each session is a run of its own, also for max-run-duration
            return execute(s, RunRequest.scheduled());
        }, () -> stopping));
    }

    /**
     * Runs {@code work} under the mapping's claim now or, at the run cap, when its turn comes; checks
     * again then whether the mapping is still due, as it may have run or failed meanwhile.
     */
    private <T> Optional<T> scheduled(String key, MappingState s, boolean backoff, Supplier<T> work) {
        if (!due(s, backoff)) {
            return Optional.empty();
        }
        return slots.runOrQueue(key, () -> due(s, backoff) && s.tryStart(clock.instant()) ? slots.claimed(s, work)
                : null);
    }

    private boolean due(MappingState s, boolean backoff) {
        return !stopping && !s.running() && !(backoff && s.inBackoff(clock.instant()));
    }

    /**
     * Starts a manual run in the background.
     *
     * @return the run's id, as recorded in the run history
     * @throws MappingBusyException when this process is already running the mapping
     */
    public String trigger(String id, boolean fullResync) {
        MappingState s = claimForTrigger(id);
        String key = UUID.randomUUID().toString();
        slots.runInBackground(s, () -> execute(s, RunRequest.manual(fullResync, key)));
        return key;
    }

    private MappingState claimForTrigger(String id) {
        states.get(id);
        if (stopping) {
            throw new IllegalStateException("tablesync is shutting down; trigger the run on another replica");
        }
        return states.claim(id, "is already running; wait for it to finish", clock.instant());
    }

    /** One run of a claimed mapping, holding a permit. */
    private RunResult execute(MappingState s, RunRequest request) {
        RunResult result = runBody.apply(s, request);
        if (aborted && result.error().filter(e -> !(e instanceof RunStoppedException)).isPresent()) {
            result = result.withError(new RunStoppedException("mapping " + s.mapping.id() + ": connections aborted at"
                    + " the end of tablesync.shutdown-timeout; the uncommitted batch was rolled back",
                    result.error().get()));
        }
        s.apply(result, request, backoff, clock.instant());
        RunLog.log(result, s.status(clock.instant()));
        finished.fire(result);
        return result;
    }

    private RunResult mappingRun(MappingState s, RunRequest request) {
        RunObserver progress = new RunObserver() {
            @Override
            public void batchCommitted(dev.tablesync.checkpoint.Checkpoint cp, WriteCounts batch) {
                s.committed(cp);
            }
        };
        return new MappingRun(s.mapping, dataSources, stateSchema, s.window, s.knownTarget, progress,
                () -> stopping, clock).withSessions(sessions, slots::giveBack).execute(request);
    }

    /**
     * Runs {@code work} now under the mapping's claim and the run cap, like a sync run: the mapping
     * shows as running meanwhile and no sync of it starts in this process.
     *
     * @throws MappingBusyException when the mapping is running in this process
     */
    public <T> T runExclusive(String id, ExclusiveWork<T> work) {
        MappingState s = states.claim(id, "is already running in this process", clock.instant());
        return slots.run(s, () -> work.run(s.mapping, dataSources, stateSchema, () -> stopping));
    }

    /**
     * A scheduler tick of exclusive work: empty when shutting down or the mapping is running; at the
     * run cap it waits in line like a scheduled sync (and the result is empty).
     */
    public <T> Optional<T> runExclusiveScheduled(String id, String kind, ExclusiveWork<T> work) {
        MappingState s = states.get(id);
        return scheduled(kind + " " + id, s, false,
                () -> work.run(s.mapping, dataSources, stateSchema, () -> stopping));
    }

    /**
     * Starts exclusive work in the background.
     *
     * @throws MappingBusyException when the mapping is running in this process
     * @throws IllegalStateException when shutting down
     */
    public void triggerExclusive(String id, ExclusiveWork<?> work) {
        MappingState s = claimForTrigger(id);
        slots.runInBackground(s, () -> work.run(s.mapping, dataSources, stateSchema, () -> stopping));
    }

    /** Runs every enabled mapping once, one after the other; a failure does not stop the rest. */
    public List<RunResult> runAllOnce() {
        List<RunResult> results = new ArrayList<>();
        for (MappingState s : states.all()) {
            if (s.mapping.enabled()) {
                results.add(run(s.mapping.id(), RunRequest.once()));
            }
        }
        return results;
    }

    /** Pauses or resumes a mapping on every replica (the flag lives in the target's state schema). */
    public void setPaused(String id, boolean paused, String by) {
        MappingState s = states.get(id);
        control.setPaused(s.mapping, paused, by, clock.instant());
        s.paused(paused);
        LOG.infof("Mapping %s: %s by %s", id, paused ? "paused" : "resumed", by);
    }

    /**
     * Deletes the checkpoint; the next run copies the table again.
     *
     * @throws MappingBusyException when the mapping is running here or on another replica
     */
    public void reset(String id) {
        MappingState s = states.claim(id, "is running; reset it when the run has finished", clock.instant());
        try {
            control.reset(s.mapping);
            s.forgetCheckpoint();
            LOG.infof("Mapping %s: checkpoint reset; the next run copies %s again", id, s.mapping.sourceTable());
        } finally {
            s.finish();
        }
    }

    public List<RunRecord> history(String id, int limit, int offset) {
        return control.history(states.get(id).mapping, limit, offset);
    }

    /** The shared binlog streams of this process, one per source server (for their meters). */
    public SourceStreams binlogStreams() {
        return sessions.streams();
    }

    /** Binlog apply sessions of {@code length} instead of {@link ApplySessions#SESSION}, for tests. */
    void sessionLength(Duration length) {
        sessions.length(length);
    }

    public boolean stopping() {
        return stopping;
    }

    /**
     * Reads the persisted pause flags in the background, so the API shows a paused mapping as
     * paused right after a restart, without an unreachable target delaying start-up.
     */
    void onStart(@Observes io.quarkus.runtime.StartupEvent event) {
        states.all().forEach(s -> slots.background(() -> {
            try {
                s.paused(control.isPaused(s.mapping));
            } catch (SQLException | RuntimeException e) {
                LOG.debugf("Mapping %s: pause flag not read yet (%s); the first run reads it", s.mapping.id(),
                        e.getMessage());
            }
        }));
    }

    /**
     * Runs in flight finish their current batch and stop; the pools close once they have. Runs still
     * going near the end of shutdown-timeout (a statement waiting for a lock, a slow server) have
     * their connections aborted, so shutdown ends in time and the servers roll back what they had not
     * committed; a batch and its checkpoint commit together, so nothing is left half done.
     */
    void onShutdown(@Observes ShutdownEvent event) {
        stopping = true;
        slots.drain(shutdownTimeout, left -> {
            aborted = true;
            LOG.warnf("%d runs still in progress near the end of tablesync.shutdown-timeout (%s): aborted their %d"
                    + " database connections; the servers roll back their uncommitted batches", left,
                    shutdownTimeout, dataSources.abortInUse());
        });
        try {
            sessions.close();
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warnf("Closing the binlog streams: %s", e.getMessage());
        }
    }
}
