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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.tablesync.checkpoint.RunRecord;
import dev.tablesync.config.ConfigValidator;
import dev.tablesync.config.Mapping;
import dev.tablesync.config.TablesyncConfig;
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

    private final Map<String, MappingState> states = new TreeMap<>();
    private final DataSources dataSources;
    private final String stateSchema;
    private final MappingControl control;
    private final Semaphore permits;
    private final Backoff backoff;
    private final Duration shutdownTimeout;
    private final ExecutorService triggered;
    private final Event<RunResult> finished;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final StateStoreProbe stateStoreProbe;
    private final Clock clock = Clock.systemUTC();
    private volatile boolean stopping;

    @Inject
    public SyncEngine(TablesyncConfig config, Event<RunResult> finished) {
        ConfigValidator.validate(config).forEach((id, m) -> states.put(id, new MappingState(m)));
        this.dataSources = DataSources.fromConfig(config.connections());
        this.stateSchema = config.stateSchema();
        this.control = new MappingControl(dataSources, stateSchema);
        this.permits = new Semaphore(config.maxConcurrentRuns());
        this.backoff = new Backoff(config.retry().initialBackoff(), config.retry().maxBackoff(),
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
        states.values().forEach(s -> LOG.infof("Mapping %s: %s/%s -> %s/%s, mode %s, schedule %s%s", s.mapping.id(),
                s.mapping.sourceConnection(), s.mapping.sourceTable(), s.mapping.targetConnection(),
                s.mapping.targetTable(), s.mapping.mode().label(), s.mapping.schedule(),
                s.mapping.enabled() ? "" : " (disabled)"));
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
        return runClaimed(s, request, true);
    }

    /** A scheduler tick: skipped while shutting down, backing off, already running or at the run cap. */
    public Optional<RunResult> runScheduled(String id) {
        MappingState s = state(id);
        Instant now = clock.instant();
        if (stopping || s.inBackoff(now) || !s.tryStart(now)) {
            return Optional.empty();
        }
        return Optional.ofNullable(runClaimed(s, RunRequest.scheduled(), false));
    }

    /**
     * Starts a manual run in the background.
     *
     * @return the run's id, as recorded in the run history
     * @throws MappingBusyException when this process is already running the mapping
     */
    public String trigger(String id, boolean fullResync) {
        MappingState s = state(id);
        if (stopping) {
            throw new IllegalStateException("tablesync is shutting down; trigger the run on another replica");
        }
        if (!s.tryStart(clock.instant())) {
            throw new MappingBusyException("mapping " + id + " is already running; wait for it to finish");
        }
        String key = UUID.randomUUID().toString();
        try {
            triggered.execute(() -> runClaimed(s, RunRequest.manual(fullResync, key), true));
        } catch (RuntimeException e) {
            s.finish();
            throw e;
        }
        return key;
    }

    private RunResult runClaimed(MappingState s, RunRequest request, boolean waitForPermit) {
        inFlight.incrementAndGet();
        // Every log line of the run carries the mapping, also as a field in JSON logs.
        org.jboss.logging.MDC.put("mapping", s.mapping.id());
        try {
            if (!acquirePermit(waitForPermit)) {
                LOG.debugf("Mapping %s: skipped this tick, %d runs already in progress", s.mapping.id(),
                        permits.availablePermits());
                return null;
            }
            try {
                RunResult result = new MappingRun(s.mapping, dataSources, stateSchema, s.window, RunObserver.NONE,
                        () -> stopping, clock).execute(request);
                s.apply(result, request, backoff, clock.instant());
                RunLog.log(result, s.status(clock.instant()));
                finished.fire(result);
                return result;
            } finally {
                permits.release();
            }
        } finally {
            s.finish();
            inFlight.decrementAndGet();
            org.jboss.logging.MDC.remove("mapping");
        }
    }

    private boolean acquirePermit(boolean wait) {
        if (!wait) {
            return permits.tryAcquire();
        }
        try {
            permits.acquire();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
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

    /** Runs in flight finish their current batch and stop; the pools close once they have. */
    void onShutdown(@Observes ShutdownEvent event) {
        stopping = true;
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight.get() > 0) {
            LOG.warnf("%d runs still in progress after %s; their uncommitted batch is rolled back by the server",
                    inFlight.get(), shutdownTimeout);
        }
    }

    @PreDestroy
    void close() {
        triggered.shutdownNow();
        dataSources.close();
    }
}
