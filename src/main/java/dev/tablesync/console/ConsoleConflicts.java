package dev.tablesync.console;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;


import jakarta.enterprise.context.ApplicationScoped;

import dev.tablesync.api.ApiProblemException;

/**
 * Where the console gets a mapping's parked conflicts and resolves them. The one place to connect to
 * the conflicts API (conflict=park, issue 16) once it exists: until then no mapping has parked
 * conflicts and resolving is refused.
 */
@ApplicationScoped
public class ConsoleConflicts {

    /** The resolve actions of the conflicts API. */
    static final List<String> ACTIONS = List.of("take-source", "keep-target", "recheck");

    /** The mapping's parked conflicts; empty when this build parks none. */
    public Optional<ParkedConflicts> parked(String mappingId) {
        return Optional.empty();
    }

    /**
     * Resolves one parked conflict, or all of the mapping's when {@code conflictId} is empty, with the
     * same checks and problems as the API (403, 404, 409 with the target's new image).
     */
    public void resolve(String mappingId, OptionalLong conflictId, String action) {
        if (action == null || !ACTIONS.contains(action)) {
            throw ApiProblemException.badParameter("action must be one of take-source, keep-target or recheck, got '"
                    + action + "'");
        }
        throw new ApiProblemException(404, "no-parked-conflicts", "No parked conflicts",
                "mapping " + mappingId + " has no parked conflicts: this build does not park conflicts");
    }
}
