package dev.tablesync.console;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.UriInfo;

import dev.tablesync.api.ChangedTargetProblem;
import dev.tablesync.api.ConflictListView;
import dev.tablesync.api.ConflictResource;
import dev.tablesync.api.ResolveRequest;
import dev.tablesync.api.ResolvedView;
import dev.tablesync.conflict.ParkedConflicts;
import dev.tablesync.conflict.TargetChangedException;

/**
 * Where the console gets a mapping's parked conflicts and resolves them: through the conflicts API's
 * own resource (conflict=park), so its roles (operator to resolve), 404, 409 and problems apply unchanged.
 */
@ApplicationScoped
public class ConsoleConflicts {

    /** The resolve actions of the conflicts API. */
    static final List<String> ACTIONS = List.of("take-source", "keep-target", "recheck");

    /** Conflicts listed on a page, as the API's {@code ?limit=} (the page says how many are parked in all). */
    static final String LIMIT = "200";

    @Inject
    ConflictResource api;

    @Inject
    ParkedConflicts park;

    /** The mapping's parked conflicts as {@code GET /api/mappings/{id}/conflicts} answers them. */
    public ConflictListView parked(String mappingId) {
        return api.list(mappingId, LIMIT);
    }

    /**
     * How many rows the mapping has parked, for the mappings list: the count the gauge shows (kept by
     * runs and resolutions), counted once when not known yet; 0 for a mapping that does not park.
     */
    public long count(String mappingId) {
        if (!park.parks(mappingId)) {
            return 0;
        }
        OptionalLong known = park.parked(mappingId);
        if (known.isEmpty()) {
            park.refresh(mappingId);
            known = park.parked(mappingId);
        }
        return known.orElse(0);
    }

    /**
     * Resolves one parked conflict, or all of the mapping's when {@code conflictId} is empty (refused
     * rows stay parked and are listed in the answer), with the API's checks and problems.
     */
    public ResolvedView resolve(String mappingId, OptionalLong conflictId, String action) {
        ResolveRequest body = new ResolveRequest(action);
        return conflictId.isPresent() ? api.resolve(mappingId, String.valueOf(conflictId.getAsLong()), body)
                : api.resolveAll(mappingId, body);
    }

    /** The target row as it is now, when {@code e} refused a resolution because that row changed (the 409's body). */
    static Optional<ChangedTargetProblem> changedTarget(RuntimeException e, UriInfo uri) {
        return e instanceof TargetChangedException changed
                ? Optional.of(ChangedTargetProblem.of(changed, uri.getRequestUri().getRawPath()))
                : Optional.empty();
    }
}
