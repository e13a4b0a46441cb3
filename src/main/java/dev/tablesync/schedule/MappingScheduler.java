package dev.tablesync.schedule;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.tablesync.config.Mapping;
import dev.tablesync.config.TablesyncConfig;
import dev.tablesync.sync.SyncEngine;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;

/**
 * One scheduler job per enabled mapping, from its {@code schedule}: an interval or a cron
 * expression. A job never overlaps itself and never throws into the scheduler.
 */
@ApplicationScoped
public class MappingScheduler {

    private static final Logger LOG = Logger.getLogger(MappingScheduler.class);

    @Inject
    Scheduler scheduler;

    @Inject
    SyncEngine engine;

    /** Same rule as the validator: {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}; everything else is cron. */
    private static final java.util.regex.Pattern INTERVAL = java.util.regex.Pattern.compile("\\d+[smhd]");

    private volatile boolean shuttingDown;

    void onStart(@Observes StartupEvent event, TablesyncConfig config) {
        if (config.runOnce()) {
            return;
        }
        for (Mapping m : engine.mappings()) {
            if (m.enabled()) {
                schedule(m);
            }
        }
    }

    private void schedule(Mapping m) {
        var job = scheduler.newJob(jobId(m.id())).setConcurrentExecution(ConcurrentExecution.SKIP)
                .setTask(execution -> runQuietly(m.id()));
        if (INTERVAL.matcher(m.schedule()).matches() || m.schedule().startsWith("P")) {
            job.setInterval(m.schedule());
        } else {
            job.setCron(m.schedule());
        }
        job.schedule();
        LOG.infof("Mapping %s: scheduled %s", m.id(), m.schedule());
    }

    /** When the scheduler fires the mapping's job next; empty when it is not scheduled. */
    public Optional<Instant> nextRun(String mappingId) {
        Trigger trigger = scheduler.getScheduledJob(jobId(mappingId));
        return trigger == null ? Optional.empty() : Optional.ofNullable(trigger.getNextFireTime());
    }

    /** Whether jobs are firing: false once the scheduler stopped or was paused. */
    public boolean running() {
        return scheduler.isRunning();
    }

    private static String jobId(String mappingId) {
        return "mapping-" + mappingId;
    }

    /** A tick that fires while the application stops must not touch beans being destroyed. */
    void onStop(@Observes ShutdownEvent event) {
        shuttingDown = true;
    }

    private void runQuietly(String id) {
        if (shuttingDown) {
            return;
        }
        try {
            engine.runScheduled(id);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Mapping %s: run failed unexpectedly", id);
        }
    }
}
