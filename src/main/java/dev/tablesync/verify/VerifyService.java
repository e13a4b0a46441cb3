package dev.tablesync.verify;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.tablesync.checkpoint.CheckpointStore;
import dev.tablesync.config.Mapping;
import dev.tablesync.config.Settings;
import dev.tablesync.sql.DataSources;
import dev.tablesync.sync.ExclusiveWork;
import dev.tablesync.sync.MappingException;
import dev.tablesync.sync.RunStatus;
import dev.tablesync.sync.SyncEngine;
import io.quarkus.runtime.StartupEvent;

/**
 * Verify and repair runs of mappings, through the engine's claim, run cap and shutdown handling,
 * so they never overlap a sync of the same mapping. Keeps each mapping's last report for metrics
 * and health, and announces every finished verify as a {@link VerifyReport} event.
 */
@ApplicationScoped
public class VerifyService {

    private static final Logger LOG = Logger.getLogger(VerifyService.class);

    private final SyncEngine engine;
    private final DataSources dataSources;
    private final String stateSchema;
    private final Event<VerifyReport> finished;
    private final Map<String, VerifyReport> last = new ConcurrentHashMap<>();
    private final ExecutorService executor;
    private final Clock clock = Clock.systemUTC();

    @Inject
    public VerifyService(SyncEngine engine, DataSources dataSources, Settings config, Event<VerifyReport> finished) {
        this.engine = engine;
        this.dataSources = dataSources;
        this.stateSchema = config.stateSchema();
        this.finished = finished;
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tablesync-verify-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts a verify in the background.
     *
     * @return the run's id, as recorded in the run history
     * @throws dev.tablesync.sync.MappingBusyException when the mapping is running in this process
     */
    public String trigger(String id, boolean repair) {
        String key = UUID.randomUUID().toString();
        engine.triggerExclusive(id, work(repair, key, true));
        return key;
    }

    /** Verifies now and waits for it. */
    public VerifyReport run(String id, boolean repair) {
        return engine.runExclusive(id, work(repair, UUID.randomUUID().toString(), true));
    }

    /**
     * A scheduler tick: skipped while the mapping runs, paused or shutting down; at the run cap it waits
     * in line with the scheduled syncs (the result is then empty).
     */
    public Optional<VerifyReport> runScheduled(String id, boolean repair) {
        return engine.runExclusiveScheduled(id, "verify", work(repair, UUID.randomUUID().toString(), false));
    }

    private ExclusiveWork<VerifyReport> work(boolean repair, String runKey, boolean manual) {
        return (mapping, dataSources, stateSchema, stop) -> {
            VerifyReport report = new Verifier(mapping, dataSources, stateSchema, executor, stop, clock)
                    .execute(repair, runKey, manual);
            // A failed verify's counts are partial: metrics and health keep the last complete one.
            if (RunStatus.SUCCESS.label().equals(report.status())) {
                last.put(mapping.id(), report);
                finished.fire(report);
            }
            log(report);
            return report;
        };
    }

    private static void log(VerifyReport r) {
        if (RunStatus.FAILED.label().equals(r.status())) {
            LOG.error(r.summary());
        } else if (r.unrepaired() > 0) {
            LOG.warn(r.summary() + "; repair with POST /api/mappings/" + r.mappingId() + "/verify?repair=true");
        } else if (!RunStatus.PAUSED.label().equals(r.status())) {
            LOG.info(r.summary());
        }
    }

    /** The last verify of the mapping that compared its tables completely, here or (after a restart) recorded. */
    public Optional<VerifyReport> last(String id) {
        return Optional.ofNullable(last.get(id));
    }

    /** The reports of some runs of a mapping, by run key, for its run history. */
    public Map<String, VerifyReport> reports(String id, List<String> runKeys) {
        Mapping m = engine.mapping(id);
        if (runKeys.isEmpty()) {
            return Map.of();
        }
        try (Connection target = dataSources.connect(m.targetConnection())) {
            return store(m, target).byRunKeys(target, id, runKeys);
        } catch (SQLException e) {
            throw new MappingException("mapping " + id + ": cannot read the verify reports on target "
                    + m.targetConnection() + ": " + e.getMessage(), e);
        }
    }

    /** Loads each mapping's last recorded verify in the background, so metrics and health survive a restart. */
    void onStart(@Observes StartupEvent event) {
        for (Mapping m : engine.mappings()) {
            executor.execute(() -> {
                try (Connection target = dataSources.connect(m.targetConnection())) {
                    store(m, target).latest(target, m.id()).ifPresent(r -> last.putIfAbsent(m.id(), r));
                } catch (SQLException | RuntimeException e) {
                    LOG.debugf("Mapping %s: last verify not read (%s)", m.id(), e.getMessage());
                }
            });
        }
    }

    private VerifyReportStore store(Mapping m, Connection target) throws SQLException {
        CheckpointStore.on(dataSources, m.targetConnection(), target, stateSchema);
        return VerifyReportStore.on(dataSources, m.targetConnection(), target, stateSchema);
    }

    @PreDestroy
    void close() {
        executor.shutdownNow();
    }
}
