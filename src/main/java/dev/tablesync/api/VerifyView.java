package dev.tablesync.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.tablesync.verify.VerifyReport;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** What a verify run found and repaired; part of its run-history entry. */
@RegisterForReflection
@Schema(name = "VerifyReport")
public record VerifyView(
        @Schema(description = "true when differences were repaired from the source") boolean repair,
        @Schema(description = "checksum-table (whole-table fast path found both sides equal) or chunks") String method,
        @Schema(description = "key ranges compared") long chunksCompared,
        @Schema(description = "chunks whose count or hash differed") long differingChunks,
        @Schema(description = "missing + extra + different") long mismatches,
        @Schema(description = "keys on the source, not on the target") long missing,
        @Schema(description = "keys on the target, not on the source (e.g. hard-deleted rows)") long extra,
        @Schema(description = "keys on both sides with different values") long different,
        @Schema(description = "upserted + deleted") long rowsRepaired,
        @Schema(description = "rows the repair inserted or changed") long upserted,
        @Schema(description = "target rows the repair deleted: their key is gone from the source") long deleted,
        @Schema(description = "differences left on the target by this run") long unrepaired,
        long durationMs,
        @Schema(description = "columns left out of the comparison, with the reason") List<String> notCompared,
        @Schema(description = "the first differing keys, e.g. \"missing (id=42)\"") List<String> sampleKeys) {

    static VerifyView of(VerifyReport r) {
        return new VerifyView(r.repair(), r.method(), r.chunks(), r.differingChunks(), r.mismatches(), r.missing(),
                r.extra(), r.different(), r.upserted() + r.deleted(), r.upserted(), r.deleted(), r.unrepaired(),
                r.duration().toMillis(), r.notCompared(), r.sample());
    }
}
