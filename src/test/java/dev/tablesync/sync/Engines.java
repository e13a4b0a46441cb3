package dev.tablesync.sync;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;

import dev.tablesync.testsupport.TestConfig;
import dev.tablesync.config.ConfigValidator;
import dev.tablesync.config.Settings;
import dev.tablesync.sql.DataSources;
import dev.tablesync.config.TablesyncConfig;

/** A {@link SyncEngine} outside CDI, from {@code tablesync.*} properties, and its shutdown as Quarkus does it. */
final class Engines {

    private Engines() {
    }

    static TablesyncConfig config(Map<String, String> properties) {
        return TestConfig.of(properties);
    }

    /** The beans each engine was built with, to destroy as Quarkus would. */
    private static final Map<SyncEngine, Runnable[]> BEANS = new ConcurrentHashMap<>();

    /** @param runBody what each run does; null for real runs */
    static SyncEngine engine(Map<String, String> properties, BiFunction<MappingState, RunRequest, RunResult> runBody) {
        Settings settings = ConfigValidator.validate(config(properties));
        DataSources dataSources = new DataSources(settings);
        RunSlots slots = new RunSlots(settings);
        SyncEngine engine = new SyncEngine(settings, dataSources, slots, new Backoff(settings), new NoEvents(),
                runBody);
        BEANS.put(engine, new Runnable[] {slots::close, dataSources::close});
        return engine;
    }

    /** The shutdown event, then the beans' destruction. */
    static void shutDown(SyncEngine engine) {
        engine.onShutdown(null);
        for (Runnable destroy : BEANS.remove(engine)) {
            destroy.run();
        }
    }

    static RunResult succeeded(MappingState s, java.time.Instant started) {
        return new RunResult(s.mapping.id(), started, Duration.between(started, java.time.Instant.now()), "incremental",
                "test", 0, WriteCounts.NONE, Optional.empty(), Optional.empty(), "");
    }

    private static final class NoEvents implements Event<RunResult> {
        @Override
        public void fire(RunResult event) {
        }

        @Override
        public <U extends RunResult> CompletionStage<U> fireAsync(U event) {
            return CompletableFuture.completedFuture(event);
        }

        @Override
        public <U extends RunResult> CompletionStage<U> fireAsync(U event, NotificationOptions options) {
            return CompletableFuture.completedFuture(event);
        }

        @Override
        public Event<RunResult> select(Annotation... qualifiers) {
            return this;
        }

        @Override
        public <U extends RunResult> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends RunResult> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }
    }
}
