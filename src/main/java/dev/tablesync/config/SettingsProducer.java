package dev.tablesync.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The one place that reads the raw {@link TablesyncConfig}: validates it once, when the first bean
 * needs {@link Settings} at start-up, and refuses to start with every problem listed.
 */
@Singleton
public class SettingsProducer {

    @Produces
    @Singleton
    Settings settings(TablesyncConfig config) {
        return ConfigValidator.validate(config);
    }
}
