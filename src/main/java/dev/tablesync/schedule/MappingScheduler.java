package dev.tablesync.schedule;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.tablesync.config.Mapping;
import dev.tablesync.config.TablesyncConfig;
import dev.tablesync.sync.MappingBusyException;
import dev.tablesync.sync.SyncEngine;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduler;

/**
 * One scheduler job per enabled mapping, from its {@code schedule}: an interval or a cron
 * expression. A job never overlaps itself and never throws into the scheduler.
 */
public class MappingScheduler {

    private static final Logger LOG = Logger.getLogger(MappingScheduler.class);

    @Inject
    Scheduler scheduler;

    @Inject
    SyncEngine engine;

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
        var job = scheduler.newJob("mapping-" + m.id()).setConcurrentExecution(ConcurrentExecution.SKIP)
                .setTask(execution -> runQuietly(m.id()));
        if (Character.isDigit(m.schedule().charAt(0)) || m.schedule().startsWith("P")) {
            job.setInterval(m.schedule());
        } else {
            job.setCron(m.schedule());
        }
        job.schedule();
        LOG.infof("Mapping %s: scheduled %s", m.id(), m.schedule());
    }

    private void runQuietly(String id) {
        try {
            engine.run(id, false);
        } catch (MappingBusyException e) {
            LOG.debugf("Mapping %s: skipped, %s", id, e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "Mapping %s: run failed unexpectedly", id);
        }
    }
}
