package dev.tablesync.schedule;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.tablesync.config.Mapping;
import dev.tablesync.config.Schedule;
import dev.tablesync.config.Settings;
import dev.tablesync.sync.SyncEngine;
import dev.tablesync.verify.VerifyService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;

/**
 * One scheduler job per enabled mapping, from its {@code schedule}: an interval or a cron
 * expression; and one verify job per mapping with a {@code verify-schedule}. A job never overlaps
 * itself and never throws into the scheduler.
 */
@ApplicationScoped
public class MappingScheduler {

    private static final Logger LOG = Logger.getLogger(MappingScheduler.class);

    @Inject
    Scheduler scheduler;

    @Inject
    SyncEngine engine;

    @Inject
    VerifyService verify;

    /** Verify jobs are named {@code verify-<mapping id>}. */
    private static final String VERIFY_JOB = "verify-";

    private volatile boolean shuttingDown;

    void onStart(@Observes StartupEvent event, Settings config) {
        if (config.runOnce()) {
            return;
        }
        for (Mapping m : config.mappings().values()) {
            if (m.enabled()) {
                if (m.schedule().manual()) {
                    LOG.infof("Mapping %s: schedule never: runs only when triggered", m.id());
                } else {
                    schedule(jobId(m.id()), m.schedule(), () -> engine.runScheduled(m.id()));
                    LOG.infof("Mapping %s: scheduled %s", m.id(), m.schedule());
                }
                m.verifySchedule().filter(when -> !when.manual()).ifPresent(when -> {
                    schedule(VERIFY_JOB + m.id(), when, () -> verify.runScheduled(m.id(), m.verifyRepair()));
                    LOG.infof("Mapping %s: verify%s scheduled %s", m.id(), m.verifyRepair() ? " with repair" : "",
                            when);
                });
            }
        }
    }

    private void schedule(String jobId, Schedule when, Runnable task) {
        var job = scheduler.newJob(jobId).setConcurrentExecution(ConcurrentExecution.SKIP)
                .setTask(execution -> runQuietly(jobId, task));
        if (when.interval()) {
            job.setInterval(when.text());
        } else {
            job.setCron(when.text());
        }
        job.schedule();
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

    private void runQuietly(String jobId, Runnable task) {
        if (shuttingDown) {
            return;
        }
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Job %s: run failed unexpectedly", jobId);
        }
    }
}
