package dev.tablesync.api;

import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.tablesync.conflict.TargetChangedException;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** 409 of a resolution: a problem with the target row as it is now. */
@RegisterForReflection
@Schema(name = "ChangedTargetProblem", description = "RFC 7807 problem with the target row as it is now")
public record ChangedTargetProblem(String type, String title, int status, String detail, String instance,
        @Schema(description = "the columns of target") List<String> columns,
        @Schema(description = "the target row now, cells as in GET .../conflicts; null when it is gone",
                nullable = true) List<ConflictView.Cell> target) {

    /** The 409 body for {@code e}; also shown by the console beside a refused resolution. */
    public static ChangedTargetProblem of(TargetChangedException e, String path) {
        List<String> columns = e.current().map(r -> r.columns()).orElse(List.of());
        List<ConflictView.Cell> target = e.current().map(r -> {
            List<ConflictView.Cell> cells = new java.util.ArrayList<>();
            for (int i = 0; i < r.columns().size(); i++) {
                byte[] v = r.values().get(i);
                boolean binary = e.binary().contains(r.columns().get(i));
                cells.add(v == null ? null : binary ? new ConflictView.Cell(null, java.util.HexFormat.of().formatHex(v))
                        : ConflictView.cell(Optional.empty(), v));
            }
            return cells;
        }).orElse(null);
        return new ChangedTargetProblem(Problem.type("target-changed"), "Target row changed", 409, e.getMessage(),
                path, columns, target);
    }

    /** The problem without the row, as other problems are shown. */
    public Problem problem() {
        return new Problem(type, title, status, detail, instance);
    }
}
