package dev.tablesync.config;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The validated configuration, as every bean but {@link SettingsProducer} sees it: produced once at
 * start-up by {@link ConfigValidator}, immutable, every value checked. Keys and meanings are those of
 * {@link TablesyncConfig}.
 *
 * @param mappings    by id, in id order
 * @param connections by name, in name order
 */
public record Settings(
        Map<String, Mapping> mappings,
        Map<String, Connection> connections,
        boolean runOnce,
        String stateSchema,
        int maxConcurrentRuns,
        Duration maxRunDuration,
        Duration shutdownTimeout,
        Duration lockTimeout,
        Duration initialBackoff,
        Duration maxBackoff,
        Optional<Long> binlogServerId) {

    public Settings {
        mappings = Collections.unmodifiableMap(new TreeMap<>(mappings));
        connections = Collections.unmodifiableMap(new TreeMap<>(connections));
    }

    /** One database server ({@code tablesync.connections.<name>}). */
    public record Connection(String url, Optional<String> username, Optional<String> password, int maxPoolSize) {
    }
}
