package dev.tablesync.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.tablesync.schema.Mode;
import dev.tablesync.schema.TableId;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Turns the raw configuration into validated {@link Settings}, or refuses to start with every
 * problem listed, each naming its key and the fix. Nothing is silently replaced.
 */
public final class ConfigValidator {

    static final int MAX_BATCH_SIZE = 100_000;
    private static final long MAX_SERVER_ID = 0xFFFF_FFFFL;
    /** Parked rows are listed and resolved by a person: a park larger than this is a resync, not a review. */
    static final int MAX_PARKED = 1_000_000;

    private final List<String> errors = new ArrayList<>();

    private ConfigValidator() {
    }

    /** @throws ConfigurationException listing every problem */
    public static Settings validate(TablesyncConfig config) {
        ConfigValidator v = new ConfigValidator();
        Map<String, Mapping> mappings = v.check(config);
        if (!v.errors.isEmpty()) {
            throw new ConfigurationException("Invalid tablesync configuration:\n  - " + String.join("\n  - ", v.errors));
        }
        Map<String, Settings.Connection> connections = new TreeMap<>();
        config.connections().forEach((name, c) -> connections.put(name,
                new Settings.Connection(c.url(), c.username(), c.password(), c.maxPoolSize())));
        return new Settings(mappings, connections, config.runOnce(), config.stateSchema(), config.maxConcurrentRuns(),
                config.maxRunDuration(), config.shutdownTimeout(), config.lockTimeout(),
                config.retry().initialBackoff(), config.retry().maxBackoff(), config.binlog().serverId());
    }

    private Map<String, Mapping> check(TablesyncConfig config) {
        config.connections().forEach(this::checkConnection);
        if (config.maxConcurrentRuns() < 1) {
            errors.add("tablesync.max-concurrent-runs: must be at least 1, got " + config.maxConcurrentRuns());
        }
        if ((config.maxRunDuration().isNegative() || config.maxRunDuration().isZero())) {
            errors.add("tablesync.max-run-duration: must be positive, got " + config.maxRunDuration());
        }
        config.binlog().serverId().filter(id -> id < 1 || id > MAX_SERVER_ID).ifPresent(id -> errors.add(
                "tablesync.binlog.server-id: must be 1 to " + MAX_SERVER_ID + " (a MySQL/MariaDB server_id), got " + id
                        + "; remove it to derive one from the host name"));
        if (config.lockTimeout().isNegative() || config.lockTimeout().isZero()) {
            errors.add("tablesync.lock-timeout: must be positive, got " + config.lockTimeout());
        }
        // Zero is meaningful (do not wait for runs in flight); a negative wait is not.
        if (config.shutdownTimeout().isNegative()) {
            errors.add("tablesync.shutdown-timeout: must not be negative, got " + config.shutdownTimeout()
                    + "; use 0s not to wait for runs in flight, or e.g. 20s");
        }
        if ((config.retry().initialBackoff().isNegative() || config.retry().initialBackoff().isZero())
                || config.retry().maxBackoff().compareTo(config.retry().initialBackoff()) < 0) {
            errors.add("tablesync.retry.initial-backoff and tablesync.retry.max-backoff: need 0 < initial-backoff <="
                    + " max-backoff, got " + config.retry().initialBackoff() + " and " + config.retry().maxBackoff());
        }
        if (config.stateSchema().isBlank()) {
            errors.add("tablesync.state-schema: must not be empty; remove it to use the default 'tablesync'");
        }
        Map<String, Mapping> mappings = new TreeMap<>();
        config.mappings().forEach((id, m) -> {
            Mapping mapping = checkMapping(config, id, m);
            if (mapping != null) {
                mappings.put(id, mapping);
            }
        });
        checkDistinctTargets(mappings);
        mappings.values().forEach(m -> checkNotItsOwnTarget(config, m));
        return mappings;
    }

    private void checkConnection(String name, TablesyncConfig.ConnectionConfig c) {
        String key = "tablesync.connections." + name;
        if (c.url().startsWith("jdbc:mariadb:")) {
            // Only MySQL Connector/J is shipped: the pool could not be created for this URL.
            errors.add(key + ".url: jdbc:mariadb: URLs need the MariaDB driver, which tablesync does not ship;"
                    + " write it as jdbc:mysql://host:port/database (MySQL Connector/J serves MariaDB servers too)");
        } else if (!c.url().startsWith("jdbc:mysql:")) {
            errors.add(key + ".url: expected jdbc:mysql://host:port/database, got "
                    + JdbcUrl.describe(c.url()));
        }
        if (c.maxPoolSize() < 1) {
            errors.add(key + ".max-pool-size: must be at least 1, got " + c.maxPoolSize());
        }
    }

    private Mapping checkMapping(TablesyncConfig config, String id, TablesyncConfig.MappingConfig m) {
        String key = "tablesync.mappings." + id;
        int before = errors.size();
        checkConnectionRef(config, key + ".source", m.source());
        checkConnectionRef(config, key + ".target", m.target());
        TableId source = table(key + ".source-table", m.sourceTable());
        TableId target = m.targetTable().map(t -> table(key + ".target-table", t))
                .orElse(source == null ? null : TableId.of(null, source.table()));
        if (m.batchSize() < 1 || m.batchSize() > MAX_BATCH_SIZE) {
            errors.add(key + ".batch-size: must be between 1 and " + MAX_BATCH_SIZE + ", got " + m.batchSize());
        }
        if (m.bulkBatchSize() < 1 || m.bulkBatchSize() > MAX_BATCH_SIZE) {
            errors.add(key + ".bulk-batch-size: must be between 1 and " + MAX_BATCH_SIZE + ", got "
                    + m.bulkBatchSize());
        }
        if (m.maxParked() < 1 || m.maxParked() > MAX_PARKED) {
            errors.add(key + ".max-parked: must be between 1 and " + MAX_PARKED + ", got " + m.maxParked());
        }
        if (m.commitDelay().isNegative()) {
            errors.add(key + ".commit-delay: must not be negative, got " + m.commitDelay());
        }
        Schedule schedule = schedule(key + ".schedule", m.schedule());
        Optional<Schedule> verifySchedule = m.verifySchedule().map(s -> schedule(key + ".verify-schedule", s));
        if ((m.maxLag().isNegative() || m.maxLag().isZero())) {
            errors.add(key + ".max-lag: must be positive, got " + m.maxLag());
        }
        checkModeAndPolicy(key, m);
        checkDeletes(key, m);
        if (errors.size() > before) {
            return null;
        }
        return new Mapping(id, m.source(), source, m.target(), target, m.mode(), m.trackingColumn(), m.batchSize(),
                m.conflict(), m.commitDelay(), schedule, m.maxLag(), m.enabled(), m.softDeleteColumn(),
                m.deleteMode(), m.bulkBatchSize(), m.onTargetLoss(), verifySchedule, m.verifyRepair(), m.maxParked(),
                m.onBinlogGap());
    }

    private void checkModeAndPolicy(String key, TablesyncConfig.MappingConfig m) {
        if (m.conflict() == ConflictPolicy.NEWER_WINS && (m.mode() == Mode.ID || m.mode() == Mode.FULL)) {
            errors.add(key + ".conflict: newer-wins compares tracking timestamps, so it needs mode timestamp or"
                    + " auto (got mode " + m.mode().label() + "); use conflict=overwrite or mode=timestamp");
        }
        if (m.mode() == Mode.FULL && m.trackingColumn().isPresent()) {
            errors.add(key + ".tracking-column: mode full copies the whole table and uses no tracking column;"
                    + " remove the tracking column or choose mode timestamp or id");
        }
        if (m.mode() == Mode.BINLOG && m.conflict() == ConflictPolicy.NEWER_WINS) {
            errors.add(key + ".conflict: newer-wins compares tracking timestamps, and mode binlog has none (the log"
                    + " orders changes); use conflict=overwrite or mode=timestamp");
        }
        if (m.mode() == Mode.BINLOG && m.trackingColumn().isPresent()) {
            errors.add(key + ".tracking-column: mode binlog reads changes from the binary log and uses no tracking"
                    + " column; remove it or choose mode timestamp or id");
        }
        m.trackingColumn().filter(String::isBlank).ifPresent(
                c -> errors.add(key + ".tracking-column: must not be blank; remove it to detect the column"));
    }

    private void checkDeletes(String key, TablesyncConfig.MappingConfig m) {
        m.softDeleteColumn().filter(String::isBlank).ifPresent(c -> errors.add(key
                + ".soft-delete-column: must not be blank; remove it to detect deleted_at, is_deleted or deleted"));
        if (m.deleteMode() == DeleteMode.HARD && m.mode() == Mode.ID) {
            errors.add(key + ".delete-mode: hard needs to see rows updated after they were copied, but mode id"
                    + " reads new rows only; use mode timestamp (or auto with an updated_at column) or"
                    + " delete-mode copy");
        }
    }

    private void checkConnectionRef(TablesyncConfig config, String key, String name) {
        if (!config.connections().containsKey(name)) {
            errors.add(key + ": no connection named '" + name + "'; define tablesync.connections." + name
                    + ".url or use one of " + new TreeMap<>(config.connections()).keySet());
        }
    }

    private TableId table(String key, String text) {
        try {
            return TableId.parse(text);
        } catch (IllegalArgumentException e) {
            errors.add(key + ": " + e.getMessage() + "; write schema.table or table");
            return null;
        }
    }

    /** @return null when it is not valid */
    private Schedule schedule(String key, String configured) {
        try {
            return Schedule.parse(configured);
        } catch (IllegalArgumentException e) {
            errors.add(key + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * The literal case: one connection name and the same table once the URL's database fills in a
     * missing schema. Other names for one server are refused once the servers answer (SyncEngine).
     */
    private void checkNotItsOwnTarget(TablesyncConfig config, Mapping m) {
        if (!m.sourceConnection().equals(m.targetConnection())) {
            return;
        }
        Optional<String> urlSchema = JdbcUrl.database(config.connections().get(m.sourceConnection()).url());
        TableId source = TableId.of(m.sourceTable().schema().or(() -> urlSchema).orElse(null), m.sourceTable().table());
        TableId target = TableId.of(m.targetTable().schema().or(() -> urlSchema).orElse(null), m.targetTable().table());
        if (source.equals(target)) {
            errors.add(m.sameTableProblem(source, target));
        }
    }

    private void checkDistinctTargets(Map<String, Mapping> mappings) {
        Map<String, String> owners = new HashMap<>();
        mappings.values().forEach(m -> {
            String target = m.targetConnection() + "/" + m.targetTable();
            String other = owners.putIfAbsent(target, m.id());
            if (other != null) {
                errors.add("tablesync.mappings." + m.id() + ".target-table: mapping '" + other
                        + "' already writes " + m.targetTable() + " on connection " + m.targetConnection()
                        + "; two mappings must not write the same table");
            }
        });
    }
}
