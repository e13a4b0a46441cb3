package dev.tablesync.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.tablesync.conflict.ParkedRow;
import dev.tablesync.conflict.RowImage;
import dev.tablesync.schema.Column;
import dev.tablesync.schema.TableSchema;
import dev.tablesync.schema.ValueKind;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** One parked conflict: the source image the sync did not write and the target row it met, cell by cell. */
@RegisterForReflection
@Schema(name = "Conflict")
public record ConflictView(
        @Schema(description = "the conflict's id, for POST .../conflicts/{conflictId}/resolve") long id,
        @Schema(description = "the row's key, column by column, as text (binary key columns as hex)")
        Map<String, String> key,
        @Schema(description = "when the sync first met the conflict") Instant parkedAt,
        @Schema(description = "the checkpoint the run was at when it met the conflict") String checkpoint,
        @Schema(description = "the newest source image, in the order of columns; null for SQL NULL")
        List<Cell> source,
        @Schema(description = "the target row as it was parked, in the order of columns; null when the target had"
                + " no such row", nullable = true)
        List<Cell> target) {

    /** One value: text for text, numbers and dates, hex for binary columns; the cell itself is null for SQL NULL. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Cell")
    public record Cell(@Schema(description = "the value as the server prints it") String text,
            @Schema(description = "a binary column's bytes in hex") String hex) {
    }

    static ConflictView of(ParkedRow row, Optional<TableSchema> table, List<String> columns) {
        return new ConflictView(row.id(), key(row.key(), table), row.parkedAt(), row.checkpoint(),
                cells(row.source(), table, columns), row.target().map(t -> cells(t, table, columns)).orElse(null));
    }

    /**
     * The column names of a listing: those of the target table the parked images have, in table order;
     * without the table, those of the newest source image.
     */
    static List<String> columns(Optional<TableSchema> table, List<ParkedRow> rows) {
        if (table.isEmpty()) {
            return rows.isEmpty() ? List.of() : rows.get(rows.size() - 1).source().columns();
        }
        List<String> names = new ArrayList<>();
        for (Column c : table.get().columns()) {
            if (rows.isEmpty() || rows.stream().anyMatch(r -> r.source().columns().contains(c.name()))) {
                names.add(c.name());
            }
        }
        return names;
    }

    static List<Cell> cells(RowImage image, Optional<TableSchema> table, List<String> columns) {
        List<Cell> cells = new ArrayList<>(columns.size());
        for (String name : columns) {
            Optional<byte[]> value = image.value(name).flatMap(v -> v);
            cells.add(value.map(v -> cell(table.flatMap(t -> t.column(name)), v)).orElse(null));
        }
        return cells;
    }

    private static Map<String, String> key(RowImage key, Optional<TableSchema> table) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < key.columns().size(); i++) {
            String name = key.columns().get(i);
            byte[] v = key.values().get(i);
            Cell c = v == null ? null : cell(table.flatMap(t -> t.column(name)), v);
            out.put(name, c == null ? null : c.text() != null ? c.text() : c.hex());
        }
        return out;
    }

    static Cell cell(Optional<Column> column, byte[] value) {
        if (column.map(c -> c.kind() == ValueKind.BYTES).orElse(false)) {
            return new Cell(null, HexFormat.of().formatHex(value));
        }
        return new Cell(new String(value, StandardCharsets.UTF_8), null);
    }
}
