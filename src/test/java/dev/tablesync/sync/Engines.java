package dev.tablesync.sync;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;

import dev.tablesync.testsupport.TestConfig;
import dev.tablesync.config.ConfigValidator;
import dev.tablesync.config.TablesyncConfig;

/** A {@link SyncEngine} outside CDI, from {@code tablesync.*} properties, and its shutdown as Quarkus does it. */
final class Engines {

    private Engines() {
    }

    static TablesyncConfig config(Map<String, String> properties) {
        return TestConfig.of(properties);
    }

    /** @param runBody what each run does; null for real runs */
    static SyncEngine engine(Map<String, String> properties, BiFunction<MappingState, RunRequest, RunResult> runBody) {
        return new SyncEngine(ConfigValidator.validate(config(properties)), new NoEvents(), runBody);
    }

    /** The shutdown event, then the bean's destruction. */
    static void shutDown(SyncEngine engine) {
        engine.onShutdown(null);
        engine.close();
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
