package dev.tablesync.console;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.tablesync.sync.RunResult;
import dev.tablesync.sync.SyncEngine;

/**
 * Each mapping's lag right after its recent runs, kept in memory for the console's sparklines: the
 * newest {@value #SAMPLES} per mapping, lost on restart (the history on the target keeps the runs,
 * not the lag).
 */
@ApplicationScoped
public class LagHistory {

    static final int SAMPLES = 40;

    private final Map<String, Deque<Long>> samples = new ConcurrentHashMap<>();

    @Inject
    SyncEngine engine;

    /** Fired by the engine after it has applied the run to the mapping's state, so the lag is the new one. */
    void onRun(@Observes RunResult result) {
        engine.status(result.mappingId()).lag().ifPresent(lag -> add(result.mappingId(), lag.toSeconds()));
    }

    void add(String mappingId, long lagSeconds) {
        Deque<Long> values = samples.computeIfAbsent(mappingId, id -> new ArrayDeque<>());
        synchronized (values) {
            values.addLast(Math.max(0, lagSeconds));
            while (values.size() > SAMPLES) {
                values.removeFirst();
            }
        }
    }

    /** The mapping's lag samples, oldest first. */
    public List<Long> of(String mappingId) {
        Deque<Long> values = samples.get(mappingId);
        if (values == null) {
            return List.of();
        }
        synchronized (values) {
            return List.copyOf(values);
        }
    }

    public Sparkline sparkline(String mappingId) {
        return Sparkline.of(of(mappingId));
    }
}
