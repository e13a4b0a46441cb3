package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.tablesync.config.Mapping;
import dev.tablesync.config.Settings;
import dev.tablesync.sql.DataSources;

/**
 * Checks that target servers answer, for readiness. A probe must answer fast even when a server
 * is black-holed, so each check runs in the background, is waited for briefly, and its answer
 * is reused for a few seconds.
 */
@Singleton
public final class StateStoreProbe {

    static final Duration REUSE = Duration.ofSeconds(5);
    static final Duration WAIT = Duration.ofMillis(1500);

    /** One check of one connection: started at, and its future answer (null = reachable). */
    private record Check(long startedNanos, CompletableFuture<String> problem) {
    }

    private final DataSources dataSources;
    private final List<String> targets;
    private final Map<String, Check> checks = new ConcurrentHashMap<>();

    @Inject
    StateStoreProbe(DataSources dataSources, Settings settings) {
        this.dataSources = dataSources;
        this.targets = settings.mappings().values().stream().map(Mapping::targetConnection).distinct().toList();
    }

    /**
     * Target connections whose state store cannot be reached, with the reason. Probes call this
     * often and must answer within about a second, so each target is checked at most every 5 s
     * and a target that does not answer within 1.5 s counts as unreachable.
     */
    public Map<String, String> unreachable() {
        return problems(targets);
    }

    Map<String, String> problems(List<String> connections) {
        Map<String, String> problems = new TreeMap<>();
        for (String name : connections) {
            Check check = checks.compute(name, (k, old) -> old != null
                    && System.nanoTime() - old.startedNanos() < REUSE.toNanos() ? old : start(k));
            String problem = answer(check);
            if (problem != null) {
                problems.put(name, problem);
            }
        }
        return problems;
    }

    private Check start(String name) {
        return new Check(System.nanoTime(), CompletableFuture.supplyAsync(() -> {
            try (Connection c = dataSources.connect(name)) {
                return c.isValid(2) ? null : "connection not valid";
            } catch (SQLException e) {
                return e.getMessage();
            }
        }));
    }

    private static String answer(Check check) {
        try {
            return check.problem().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return "no answer within " + WAIT.toMillis() + " ms";
        } catch (ExecutionException e) {
            return String.valueOf(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
