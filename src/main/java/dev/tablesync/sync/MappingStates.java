package dev.tablesync.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;

import dev.tablesync.config.Mapping;

/** The mappings of this process with what it knows of each (running, backoff, last run), by id. */
final class MappingStates {

    private final Map<String, MappingState> states = new TreeMap<>();

    MappingStates(Collection<Mapping> mappings) {
        mappings.forEach(m -> states.put(m.id(), new MappingState(m)));
    }

    Collection<MappingState> all() {
        return states.values();
    }

    List<Mapping> mappings() {
        return states.values().stream().map(s -> s.mapping).toList();
    }

    MappingState get(String id) {
        MappingState s = states.get(id);
        if (s == null) {
            throw new NoSuchElementException("no mapping '" + id + "'; known mappings: " + states.keySet());
        }
        return s;
    }

    /**
     * Claims the mapping for this process.
     *
     * @throws MappingBusyException saying the mapping {@code busy}
     */
    MappingState claim(String id, String busy, Instant now) {
        MappingState s = get(id);
        if (!s.tryStart(now)) {
            throw new MappingBusyException("mapping " + id + " " + busy);
        }
        return s;
    }

    List<MappingStatus> statuses(Instant now) {
        return states.values().stream().map(s -> s.status(now)).toList();
    }

    /** How long the oldest run in progress has been going. */
    Optional<Duration> longestRunning(Instant now) {
        return statuses(now).stream().flatMap(s -> s.runningSince().stream()).min(Instant::compareTo)
                .map(since -> Duration.between(since, now));
    }
}
