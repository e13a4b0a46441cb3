package dev.tablesync.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.tablesync.conflict.ParkedConflicts;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A mapping's parked conflicts, oldest first. */
@RegisterForReflection
@Schema(name = "Conflicts")
public record ConflictListView(
        String mapping,
        @Schema(description = "rows parked now (all of them, not only those listed)") long parked,
        @Schema(description = "tablesync.mappings.<id>.max-parked: a run that would park more fails") int max,
        @Schema(description = "the columns of source and target images, in order") List<String> columns,
        List<ConflictView> conflicts) {

    static ConflictListView of(ParkedConflicts.Listing listing) {
        List<String> columns = ConflictView.columns(listing.table(), listing.rows());
        return new ConflictListView(listing.mapping().id(), listing.parked(), listing.mapping().maxParked(), columns,
                listing.rows().stream().map(r -> ConflictView.of(r, listing.table(), columns)).toList());
    }
}
