package dev.tablesync.sync;

import org.jboss.logging.Logger;

import dev.tablesync.schema.SchemaDriftException;

/** The one line per run that operators read: level by outcome, the lag when known. */
final class RunLog {

    private static final Logger LOG = Logger.getLogger(SyncEngine.class);

    private RunLog() {
    }

    static void configured(dev.tablesync.config.Mapping m) {
        LOG.infof("Mapping %s: %s/%s -> %s/%s, mode %s, schedule %s%s", m.id(), m.sourceConnection(), m.sourceTable(),
                m.targetConnection(), m.targetTable(), m.mode().label(), m.schedule(), m.enabled() ? "" : " (disabled)");
    }

    static void log(RunResult result, MappingStatus status) {
        if (result.skippedBecausePaused()) {
            LOG.debugf("Mapping %s: paused, run skipped", result.mappingId());
        } else if (result.succeeded()) {
            LOG.info(result.summary() + status.lag().map(l -> " lag=" + l.toSeconds() + "s").orElse(""));
        } else if (result.error().get() instanceof MappingBusyException) {
            // A standby replica finds the mapping busy on every tick: normal, and not worth a line per second.
            LOG.debug(result.summary());
        } else if (result.error().get() instanceof RunStoppedException) {
            LOG.info(result.summary());
        } else {
            Throwable e = result.error().get();
            // A mapping problem is fully said by its message; anything else deserves its stack trace.
            LOG.error(result.summary(), e instanceof MappingException || e instanceof SchemaDriftException ? null : e);
        }
    }
}
