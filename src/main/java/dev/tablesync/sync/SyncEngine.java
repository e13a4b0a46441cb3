package dev.tablesync.sync;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.tablesync.checkpoint.RunRecord;
import dev.tablesync.config.Mapping;
import dev.tablesync.config.Settings;
import dev.tablesync.schedule.Backoff;
import dev.tablesync.sql.DataSources;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;

/**
 * Runs mappings: validates the configuration at start-up (refusing to start when it is bad),
 * owns the pools, never runs one mapping twice at once in this process, caps concurrent runs,
 * backs off after failures, and stops cleanly on shutdown. Every finished run is announced as
 * a {@link RunResult} event (metrics listen).
 */
@Startup
@ApplicationScoped
public class SyncEngine {

    private static final Logger LOG = Logger.getLogger(SyncEngine.class);

    /** How long start-up waits for servers to tell who they are; those that do not are checked by each run. */
    private static final Duration IDENTITY_WAIT = Duration.ofSeconds(5);

    private final Map<String, MappingState> states = new TreeMap<>();
    private final DataSources dataSources;
    private final String stateSchema;
    private final MappingControl control;
    private final RunSlots slots;
    private final Backoff backoff;
    private final Duration shutdownTimeout;
    private final ExecutorService triggered;
    private final Event<RunResult> finished;
    private final StateStoreProbe stateStoreProbe;
    private final Clock clock = Clock.systemUTC();
    private volatile boolean stopping;
    /** Shutdown aborted the connections of runs still going: their errors say so. */
    private volatile boolean aborted;

    /** What a run does, given its claimed mapping; tests replace it to make runs take a known time. */
    private final BiFunction<MappingState, RunRequest, RunResult> runBody;

    @Inject
    public SyncEngine(Settings config, Event<RunResult> finished) {
        this(config, finished, null);
    }

    /** @param runBody what a run does instead of a {@link MappingRun}; null for a real run */
    SyncEngine(Settings config, Event<RunResult> finished,
            BiFunction<MappingState, RunRequest, RunResult> runBody) {
        this.runBody = runBody != null ? runBody : this::mappingRun;
        config.mappings().forEach((id, m) -> states.put(id, new MappingState(m)));
        this.dataSources = DataSources.fromConfig(config.connections(), config.lockTimeout());
        refuseMappingsIntoTheirSource();
        this.stateSchema = config.stateSchema();
        this.control = new MappingControl(dataSources, stateSchema);
        this.slots = new RunSlots(config.maxConcurrentRuns());
        this.backoff = new Backoff(config.initialBackoff(), config.maxBackoff(),
                java.util.concurrent.ThreadLocalRandom.current());
        this.shutdownTimeout = config.shutdownTimeout();
        this.finished = finished;
        this.stateStoreProbe = new StateStoreProbe(dataSources);
        AtomicInteger threads = new AtomicInteger();
        this.triggered = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tablesync-triggered-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        if (states.isEmpty()) {
            LOG.warn("No mappings configured: set tablesync.mappings.<id>.source, source-table and target");
        }
        states.values().forEach(s -> RunLog.configured(s.mapping));
    }

    /** Invalid configuration that only the servers can reveal; the pools close as start-up fails. */
    private void refuseMappingsIntoTheirSource() {
        List<String> problems = SourceIsTarget.atStartUp(mappings(), dataSources, IDENTITY_WAIT);
        if (!problems.isEmpty()) {
            dataSources.close();
            throw new io.quarkus.runtime.configuration.ConfigurationException("Invalid tablesync configuration:\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    public Collection<Mapping> mappings() {
        return states.values().stream().map(s -> s.mapping).toList();
    }

    public Mapping mapping(String id) {
        return state(id).mapping;
    }

    private MappingState state(String id) {
        MappingState s = states.get(id);
        if (s == null) {
            throw new NoSuchElementException("no mapping '" + id + "'; known mappings: " + states.keySet());
        }
        return s;
    }

    public MappingStatus status(String id) {
        return state(id).status(clock.instant());
    }

    public List<MappingStatus> statuses() {
        Instant now = clock.instant();
        return states.values().stream().map(s -> s.status(now)).toList();
    }

    /**
     * Runs one mapping now and waits for it.
     *
     * @throws MappingBusyException when this process is already running it
     */
    public RunResult run(String id, RunRequest request) {
        MappingState s = state(id);
        if (!s.tryStart(clock.instant())) {
            throw new MappingBusyException("mapping " + id + " is already running in this process");
        }
        return slots.run(s, () -> execute(s, request));
    }

    /**
     * A scheduler tick: skipped while shutting down, backing off or running; at the run cap the
     * mapping waits in line and runs on a slot thread when its turn comes (then the result is empty).
     */
    public Optional<RunResult> runScheduled(String id) {
        MappingState s = state(id);
        return scheduled("sync " + id, s, true, () -> execute(s, RunRequest.scheduled()));
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
        try {
            triggered.execute(() -> slots.run(s, () -> execute(s, RunRequest.manual(fullResync, key))));
        } catch (RuntimeException e) {
            s.finish();
            throw e;
        }
        return key;
    }

    private MappingState claimForTrigger(String id) {
        MappingState s = state(id);
        if (stopping) {
            throw new IllegalStateException("tablesync is shutting down; trigger the run on another replica");
        }
        if (!s.tryStart(clock.instant())) {
            throw new MappingBusyException("mapping " + id + " is already running; wait for it to finish");
        }
        return s;
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
        return new MappingRun(s.mapping, dataSources, stateSchema, s.window, s.knownTarget, RunObserver.NONE,
                () -> stopping, clock).execute(request);
    }

    /**
     * Runs {@code work} now under the mapping's claim and the run cap, like a sync run: the mapping
     * shows as running meanwhile and no sync of it starts in this process.
     *
     * @throws MappingBusyException when the mapping is running in this process
     */
    public <T> T runExclusive(String id, ExclusiveWork<T> work) {
        MappingState s = state(id);
        if (!s.tryStart(clock.instant())) {
            throw new MappingBusyException("mapping " + id + " is already running in this process");
        }
        return slots.run(s, () -> work.run(s.mapping, dataSources, stateSchema, () -> stopping));
    }

    /**
     * A scheduler tick of exclusive work: empty when shutting down or the mapping is running; at the
     * run cap it waits in line like a scheduled sync (and the result is empty).
     */
    public <T> Optional<T> runExclusiveScheduled(String id, String kind, ExclusiveWork<T> work) {
        MappingState s = state(id);
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
        try {
            triggered.execute(() -> slots.run(s, () -> work.run(s.mapping, dataSources, stateSchema, () -> stopping)));
        } catch (RuntimeException e) {
            s.finish();
            throw e;
        }
    }

    /** Runs every enabled mapping once, one after the other; a failure does not stop the rest. */
    public List<RunResult> runAllOnce() {
        List<RunResult> results = new ArrayList<>();
        for (MappingState s : states.values()) {
            if (s.mapping.enabled()) {
                results.add(run(s.mapping.id(), new RunRequest(false, false, Optional.empty())));
            }
        }
        return results;
    }

    /** Pauses or resumes a mapping on every replica (the flag lives in the target's state schema). */
    public void setPaused(String id, boolean paused, String by) {
        MappingState s = state(id);
        try {
            control.setPaused(s.mapping, paused, by, clock.instant());
            s.paused(paused);
            LOG.infof("Mapping %s: %s by %s", id, paused ? "paused" : "resumed", by);
        } catch (SQLException e) {
            throw new MappingException("mapping " + id + ": cannot " + (paused ? "pause" : "resume") + " it, target "
                    + s.mapping.targetConnection() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the checkpoint; the next run copies the table again.
     *
     * @throws MappingBusyException when the mapping is running here or on another replica
     */
    public void reset(String id) {
        MappingState s = state(id);
        if (!s.tryStart(clock.instant())) {
            throw new MappingBusyException("mapping " + id + " is running; reset it when the run has finished");
        }
        try {
            control.reset(s.mapping);
            s.forgetCheckpoint();
            LOG.infof("Mapping %s: checkpoint reset; the next run copies %s again", id, s.mapping.sourceTable());
        } catch (SQLException e) {
            throw new MappingException("mapping " + id + ": cannot reset the checkpoint on target "
                    + s.mapping.targetConnection() + ": " + e.getMessage(), e);
        } finally {
            s.finish();
        }
    }

    public List<RunRecord> history(String id, int limit, int offset) {
        MappingState s = state(id);
        try {
            return control.history(s.mapping, limit, offset);
        } catch (SQLException e) {
            throw new MappingException("mapping " + id + ": cannot read the run history on target "
                    + s.mapping.targetConnection() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Target connections whose state store cannot be reached, with the reason. Probes call this
     * often and must answer within about a second, so each target is checked at most every 5 s
     * and a target that does not answer within 1.5 s counts as unreachable.
     */
    public Map<String, String> unreachableStateStores() {
        return stateStoreProbe.problems(states.values().stream().map(s -> s.mapping.targetConnection()).distinct()
                .toList());
    }

    /** How long the oldest run in progress has been going. */
    public Optional<Duration> longestRunning() {
        Instant now = clock.instant();
        return statuses().stream().flatMap(s -> s.runningSince().stream()).min(Instant::compareTo)
                .map(since -> Duration.between(since, now));
    }

    public boolean stopping() {
        return stopping;
    }

    public DataSources dataSources() {
        return dataSources;
    }

    /**
     * Reads the persisted pause flags in the background, so the API shows a paused mapping as
     * paused right after a restart, without an unreachable target delaying start-up.
     */
    void onStart(@Observes io.quarkus.runtime.StartupEvent event) {
        states.values().forEach(s -> triggered.execute(() -> {
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
    }

    @PreDestroy
    void close() {
        slots.close();
        triggered.shutdownNow();
        dataSources.close();
    }
}
