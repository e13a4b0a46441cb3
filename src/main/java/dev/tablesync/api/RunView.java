package dev.tablesync.api;

import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.tablesync.checkpoint.RunRecord;
import dev.tablesync.verify.VerifyReport;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** One finished run from the run history. */
@RegisterForReflection
@Schema(name = "Run")
public record RunView(
        @Schema(description = "position in the history; higher is newer") long id,
        @Schema(description = "the runId returned by POST .../runs; null for scheduled runs") String runId,
        Instant startedAt,
        Instant finishedAt,
        long durationMs,
        @Schema(description = "snapshot, incremental, snapshot+incremental, resnapshot+incremental (the target had"
                + " lost its rows), full, verify or verify+repair") String kind,
        @Schema(description = "success or failed") String status,
        long rowsRead,
        long inserted,
        long updated,
        long unchanged,
        @Schema(description = "target rows deleted because the source marked them deleted (delete-mode hard)")
        long deleted,
        @Schema(description = "why the run failed; null when it succeeded") String error,
        @Schema(description = "where the mapping stood after the run") String checkpoint,
        @Schema(description = "the report of a verify run (kind verify or verify+repair); null for other runs")
        VerifyView verify) {

    /** {@code redact} hides secrets a database error message might quote. */
    static RunView of(RunRecord r, UnaryOperator<String> redact) {
        return of(r, redact, null);
    }

    /** @param verify the run's verify report, or null */
    static RunView of(RunRecord r, UnaryOperator<String> redact, VerifyReport verify) {
        return new RunView(r.id(), r.runKey().orElse(null), r.startedAt(), r.finishedAt(),
                Duration.between(r.startedAt(), r.finishedAt()).toMillis(), r.kind(), r.status(), r.rowsRead(),
                r.inserted(), r.updated(), r.unchanged(), r.deleted(), r.error().map(redact).orElse(null),
                r.checkpoint().orElse(null), verify == null ? null : VerifyView.of(verify));
    }
}
