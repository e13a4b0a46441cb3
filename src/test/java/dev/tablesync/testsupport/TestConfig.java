package dev.tablesync.testsupport;

import java.time.Duration;
import java.util.Map;

import dev.tablesync.config.TablesyncConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The {@code tablesync.*} configuration mapping built from plain properties, outside Quarkus. */
public final class TestConfig {

    private TestConfig() {
    }

    public static TablesyncConfig of(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(TablesyncConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build()
                .getConfigMapping(TablesyncConfig.class);
    }
}
