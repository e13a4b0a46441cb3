package dev.tablesync.conflict;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.tablesync.config.Mapping;
import dev.tablesync.config.Settings;
import dev.tablesync.schema.TableId;
import dev.tablesync.schema.TableSchema;
import dev.tablesync.sql.DataSources;
import dev.tablesync.sql.SchemaReader;

/**
 * The parked conflicts of each mapping, as the API and the console see them: listed, resolved one
 * by one or all at once, and the history of resolutions. Also the last known number of parked rows
 * per mapping, for the gauge and health, refreshed by each run and each resolution (no database
 * access on a scrape).
 */
@ApplicationScoped
public class ParkedConflicts {

    /** At most this many rows are resolved by one request for all rows; the rest take another. */
    public static final int RESOLVE_ALL_LIMIT = 10_000;

    private final Settings settings;
    private final DataSources dataSources;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Long> counts = new ConcurrentHashMap<>();

    @Inject
    public ParkedConflicts(Settings settings, DataSources dataSources) {
        this.settings = settings;
        this.dataSources = dataSources;
    }

    /**
     * The parked rows, oldest first, with the target table's definition to show them by (empty when the
     * target table does not exist, e.g. before the mapping's first run).
     */
    public record Listing(Mapping mapping, long parked, Optional<TableSchema> table, List<ParkedRow> rows) {
    }

    /** What a request for all rows did: resolved, and refused because the target row changed or still differs. */
    public record Outcome(int resolved, List<Long> refused) {
    }

    public Listing list(String id, int limit) {
        Mapping mapping = mapping(id);
        return onTarget(mapping, false, (c, store, table) -> {
            long parked = store.count(c, id);
            counts.put(id, parked);
            return new Listing(mapping, parked, table, store.list(c, id, limit));
        });
    }

    public void resolve(String id, long conflictId, Resolution.Action action, String by) {
        Mapping mapping = mapping(id);
        onTarget(mapping, (c, store, table) -> {
            c.setAutoCommit(false);
            try {
                new Resolver(mapping, c, dataSources.dialect(mapping.targetConnection(), c), table, store)
                        .resolve(conflictId, action, by, clock.instant());
            } finally {
                refresh(c, store, id);
            }
            return null;
        });
    }

    /** Each row in a transaction of its own: a refused row stays parked and the others are resolved. */
    public Outcome resolveAll(String id, Resolution.Action action, String by) {
        Mapping mapping = mapping(id);
        return onTarget(mapping, (c, store, table) -> {
            c.setAutoCommit(false);
            Resolver resolver = new Resolver(mapping, c, dataSources.dialect(mapping.targetConnection(), c), table,
                    store);
            int resolved = 0;
            List<Long> refused = new ArrayList<>();
            try {
                for (ParkedRow row : store.list(c, id, RESOLVE_ALL_LIMIT)) {
                    try {
                        resolver.resolve(row.id(), action, by, clock.instant());
                        resolved++;
                    } catch (TargetChangedException | UnknownConflictException e) {
                        refused.add(row.id());
                    }
                }
            } finally {
                refresh(c, store, id);
            }
            return new Outcome(resolved, refused);
        });
    }

    public List<Resolution> history(String id, int limit) {
        Mapping mapping = mapping(id);
        return onTarget(mapping, false, (c, store, table) -> store.history(c, id, limit));
    }

    /** Counts the mapping's parked rows again (after a run); a failure leaves the last known count. */
    public void refresh(String id) {
        Mapping mapping = mapping(id);
        try (Connection c = dataSources.connect(mapping.targetConnection())) {
            refresh(c, ParkStore.on(dataSources, mapping.targetConnection(), c, settings.stateSchema()), id);
        } catch (SQLException e) {
            // The next run or request counts again; the gauge keeps its last value meanwhile.
        }
    }

    /** The last known number of parked rows; empty before it was first counted. */
    public OptionalLong parked(String id) {
        Long n = counts.get(id);
        return n == null ? OptionalLong.empty() : OptionalLong.of(n);
    }

    private void refresh(Connection c, ParkStore store, String id) throws SQLException {
        if (!c.getAutoCommit()) {
            c.rollback();
        }
        counts.put(id, store.count(c, id));
    }

    private Mapping mapping(String id) {
        Mapping m = settings.mappings().get(id);
        if (m == null) {
            throw new NoSuchElementException("no mapping '" + id + "'; known mappings: " + settings.mappings().keySet());
        }
        return m;
    }

    private interface OnTarget<T> {
        T run(Connection target, ParkStore store, Optional<TableSchema> table) throws SQLException;
    }

    private interface OnTable<T> {
        T run(Connection target, ParkStore store, TableSchema table) throws SQLException;
    }

    /** Work that needs the target table: without it nothing can be resolved. */
    private <T> T onTarget(Mapping mapping, OnTable<T> work) {
        return onTarget(mapping, true, (c, store, table) -> work.run(c, store, table.orElseThrow()));
    }

    private <T> T onTarget(Mapping mapping, boolean needsTable, OnTarget<T> work) {
        try (Connection c = dataSources.connect(mapping.targetConnection())) {
            ParkStore store = ParkStore.on(dataSources, mapping.targetConnection(), c, settings.stateSchema());
            TableId id = mapping.targetTable().inSchema(dataSources.defaultSchema(mapping.targetConnection(), c));
            Optional<TableSchema> table = SchemaReader.read(c, id);
            if (needsTable && table.isEmpty()) {
                throw new UnknownConflictException("target table " + id + " of mapping " + mapping.id()
                        + " does not exist, so it has no conflict to resolve");
            }
            return work.run(c, store, table);
        } catch (SQLException e) {
            throw new ParkUnavailableException("mapping " + mapping.id() + ": the park in the state schema of target"
                    + " connection " + mapping.targetConnection() + " could not be read or written: " + e.getMessage(),
                    e);
        }
    }

    /** Whether a mapping parks conflicts. */
    public boolean parks(String id) {
        return Optional.ofNullable(settings.mappings().get(id))
                .filter(m -> m.conflict() == dev.tablesync.config.ConflictPolicy.PARK).isPresent();
    }
}
