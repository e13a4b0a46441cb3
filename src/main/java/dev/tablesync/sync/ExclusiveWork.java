package dev.tablesync.sync;

import java.util.function.BooleanSupplier;

import dev.tablesync.config.Mapping;
import dev.tablesync.sql.DataSources;

/**
 * Work on a mapping that must never overlap its sync runs in this process, such as verify and
 * repair: {@link SyncEngine} runs it under the mapping's claim and the run cap.
 */
@FunctionalInterface
public interface ExclusiveWork<T> {

    /** @param stopRequested true once shutdown has begun: stop at the next safe point */
    T run(Mapping mapping, DataSources dataSources, String stateSchema, BooleanSupplier stopRequested);
}
