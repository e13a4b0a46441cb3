package dev.tablesync.config;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.quarkus.runtime.annotations.StaticInitSafe;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;

/**
 * Keeps configuration values out of the log. SmallRye Config warns about a key given twice in one
 * properties file and quotes the overridden value: for {@code tablesync.connections.*.password}
 * or {@code quarkus.security.users.embedded.users.*} that value is a password. The warning keeps
 * the key and the file; the value is hidden whatever the key, as any key may hold a secret.
 *
 * <p>The warning comes while the configuration is read, before Quarkus sets up log handlers from
 * it, so a handler filter would come too late: this is a filter on the config library's own
 * logger, installed as a config builder customizer (META-INF/services), which runs before any
 * configuration source is read. Static-init safe, so the configuration Quarkus reads first, while
 * its classes initialise, gets it too (without it the packaged jar logged the values once).
 */
@StaticInitSafe
public final class SecretLogFilter implements Filter, SmallRyeConfigBuilderCustomizer {

    static final String HIDDEN = "<hidden>";
    /** The logger of SmallRye Config's messages (io.smallrye.config._private.ConfigLogging). */
    static final String CONFIG_LOGGER = "io.smallrye.config";
    /** The start of its message {@code duplicateValue} (SRCFG01007). */
    private static final String DUPLICATE_VALUE = "Duplicate value found for name";

    /** Held so the logger, and the filter set on it, cannot be collected. */
    private static final Logger LOGGER = Logger.getLogger(CONFIG_LOGGER);

    @Override
    public void configBuilder(SmallRyeConfigBuilder builder) {
        if (!(LOGGER.getFilter() instanceof SecretLogFilter)) {
            LOGGER.setFilter(this);
        }
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        Object[] parameters = record.getParameters();
        if (message != null && message.contains(DUPLICATE_VALUE) && parameters != null && parameters.length >= 3) {
            Object[] hidden = parameters.clone();
            hidden[2] = HIDDEN;
            record.setParameters(hidden);
        }
        return true;
    }
}
