package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.tablesync.config.Mapping;
import dev.tablesync.schema.TableId;
import dev.tablesync.sql.DataSources;
import dev.tablesync.sql.ServerIdentity;

/**
 * Refuses a mapping whose target table is its own source table, however it is named: one
 * connection or two for the same server, {@code db.t} or {@code t}. Such a mapping would overwrite
 * the rows it reads and, with hard deletes, delete them from the source. Checked at start-up for
 * the servers that answer, and again before each run writes anything (a server may have been down
 * at start-up); both server identities are cached per connection name, so a run pays nothing.
 */
final class SourceIsTarget {

    private static final Logger LOG = Logger.getLogger(SourceIsTarget.class);

    private SourceIsTarget() {
    }

    /** Before a run writes: fails it (fatal) when its target is its source. Both tables schema-qualified. */
    static void refuse(Mapping m, DataSources dataSources, Connection source, TableId sourceTable, Connection target,
            TableId targetTable) throws SQLException {
        ServerIdentity sourceServer = dataSources.serverIdentity(m.sourceConnection(), source);
        ServerIdentity targetServer = dataSources.serverIdentity(m.targetConnection(), target);
        if (sourceServer.sameTable(sourceTable, targetServer, targetTable)) {
            throw new MappingException(m.sameTableProblem(sourceTable, targetTable) + "; nothing was written");
        }
    }

    /**
     * The problems of every mapping whose servers both answer within {@code wait}; a server that does
     * not is left to the check before each run, so an unreachable server never holds up start-up.
     */
    static final Duration IDENTITY_WAIT = Duration.ofSeconds(5);

    /**
     * Refuses to start when a mapping writes the table it reads (invalid configuration that only the
     * servers can reveal), waiting {@link #IDENTITY_WAIT} for servers to tell who they are; those that
     * do not are checked by each run. The pools close as start-up fails.
     */
    static void refuseAtStartUp(Collection<Mapping> mappings, DataSources dataSources) {
        List<String> problems = atStartUp(mappings, dataSources, IDENTITY_WAIT);
        if (!problems.isEmpty()) {
            dataSources.close();
            throw new io.quarkus.runtime.configuration.ConfigurationException("Invalid tablesync configuration:\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    static List<String> atStartUp(Collection<Mapping> mappings, DataSources dataSources, Duration wait) {
        Map<String, CompletableFuture<Optional<Resolved>>> servers = new TreeMap<>();
        // Own daemon threads, one per server: a server that does not answer must not delay the others.
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tablesync-identity");
            t.setDaemon(true);
            return t;
        });
        mappings.forEach(m -> List.of(m.sourceConnection(), m.targetConnection()).forEach(name -> servers
                .computeIfAbsent(name, n -> CompletableFuture.supplyAsync(() -> resolve(dataSources, n), threads))));
        threads.shutdown();
        long deadline = System.nanoTime() + wait.toNanos();
        Map<String, Resolved> answered = new TreeMap<>();
        servers.forEach((name, future) -> {
            try {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                        .ifPresent(r -> answered.put(name, r));
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                LOG.debugf("Connection %s: no answer at start-up; each run checks its mappings", name);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return mappings.stream().filter(m -> answered.containsKey(m.sourceConnection())
                && answered.containsKey(m.targetConnection())).flatMap(m -> problem(m, answered).stream()).toList();
    }

    private static Optional<String> problem(Mapping m, Map<String, Resolved> answered) {
        Resolved source = answered.get(m.sourceConnection());
        Resolved target = answered.get(m.targetConnection());
        TableId sourceTable = m.sourceTable().inSchema(source.defaultSchema());
        TableId targetTable = m.targetTable().inSchema(target.defaultSchema());
        if (sourceTable.schema().isEmpty() || targetTable.schema().isEmpty()) {
            return Optional.empty(); // no default schema: the run names that problem
        }
        return source.server().sameTable(sourceTable, target.server(), targetTable)
                ? Optional.of(m.sameTableProblem(sourceTable, targetTable)) : Optional.empty();
    }

    /** A connection's server and default schema (null without one), or empty when it cannot be reached. */
    private record Resolved(ServerIdentity server, String defaultSchema) {
    }

    private static Optional<Resolved> resolve(DataSources dataSources, String name) {
        try (Connection c = dataSources.connect(name)) {
            String schema;
            try {
                schema = dataSources.defaultSchema(name, c);
            } catch (SQLException noDefault) {
                schema = null;
            }
            return Optional.of(new Resolved(dataSources.serverIdentity(name, c), schema));
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("Connection %s: not reachable at start-up (%s); each run checks its mappings", name,
                    e.getMessage());
            return Optional.empty();
        }
    }
}
