package dev.tablesync.sync;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.tablesync.config.ConfigValidator;
import dev.tablesync.config.Mapping;
import dev.tablesync.config.TablesyncConfig;
import dev.tablesync.sql.DataSources;
import io.quarkus.runtime.Startup;

/**
 * Runs mappings: validates the configuration at start-up (refusing to start when it is bad),
 * owns the connection pools, and makes sure one process never runs a mapping twice at once.
 */
@Startup
@ApplicationScoped
public class SyncEngine {

    private static final Logger LOG = Logger.getLogger(SyncEngine.class);

    private final Map<String, Mapping> mappings;
    private final DataSources dataSources;
    private final String stateSchema;
    private final Map<String, ChangeWindow> windows = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> running = new ConcurrentHashMap<>();
    private final Map<String, RunResult> lastResults = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    @Inject
    public SyncEngine(TablesyncConfig config) {
        this.mappings = ConfigValidator.validate(config);
        this.dataSources = DataSources.fromConfig(config.connections());
        this.stateSchema = config.stateSchema();
        if (mappings.isEmpty()) {
            LOG.warn("No mappings configured: set tablesync.mappings.<id>.source, source-table and target");
        }
        mappings.values().forEach(m -> LOG.infof("Mapping %s: %s/%s -> %s/%s, mode %s, schedule %s%s", m.id(),
                m.sourceConnection(), m.sourceTable(), m.targetConnection(), m.targetTable(), m.mode().label(),
                m.schedule(), m.enabled() ? "" : " (disabled)"));
    }

    public Collection<Mapping> mappings() {
        return mappings.values();
    }

    public Mapping mapping(String id) {
        Mapping m = mappings.get(id);
        if (m == null) {
            throw new NoSuchElementException("no mapping '" + id + "'; known mappings: " + mappings.keySet());
        }
        return m;
    }

    /**
     * Runs one mapping now and waits for it.
     *
     * @throws MappingBusyException when this process is already running it
     */
    public RunResult run(String id, boolean fullResync) {
        Mapping mapping = mapping(id);
        ReentrantLock lock = running.computeIfAbsent(id, k -> new ReentrantLock());
        if (!lock.tryLock()) {
            throw new MappingBusyException("mapping " + id + " is already running in this process");
        }
        try {
            ChangeWindow window = windows.computeIfAbsent(id, ChangeWindow::new);
            RunResult result = new MappingRun(mapping, dataSources, stateSchema, window, RunObserver.NONE, clock)
                    .execute(fullResync);
            lastResults.put(id, result);
            log(result);
            return result;
        } finally {
            lock.unlock();
        }
    }

    /** Runs every enabled mapping once, one after the other; a failure does not stop the rest. */
    public List<RunResult> runAllOnce() {
        List<RunResult> results = new ArrayList<>();
        for (Mapping m : mappings.values()) {
            if (m.enabled()) {
                results.add(run(m.id(), false));
            }
        }
        return results;
    }

    public Optional<RunResult> lastResult(String id) {
        return Optional.ofNullable(lastResults.get(id));
    }

    public DataSources dataSources() {
        return dataSources;
    }

    private static void log(RunResult result) {
        if (result.succeeded()) {
            LOG.info(result.summary());
        } else if (result.error().get() instanceof MappingBusyException) {
            LOG.debug(result.summary());
        } else {
            LOG.error(result.summary(), result.error().filter(e -> !(e instanceof MappingException)).orElse(null));
        }
    }

    @PreDestroy
    void close() {
        dataSources.close();
    }
}
