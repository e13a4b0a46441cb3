package dev.tablesync.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import dev.tablesync.api.ConflictView;
import io.quarkus.qute.TemplateData;

/**
 * One parked conflict laid out for the page: column by column, source beside target, changed cells
 * marked.
 *
 * @param key        the row's key as {@code id=5, region=eu}
 * @param targetGone the target row was deleted since it was parked
 * @param changed    how many columns differ
 * @param refused    the last resolve-all left this row parked (its target changed since it was parked)
 */
@TemplateData
public record ConflictDiff(long id, String key, String parkedAt, String checkpoint, boolean targetGone,
        List<Row> rows, int changed, boolean refused) {

    /** Values longer than this are folded into a {@code <details>} element. */
    static final int FOLD_AT = 64;

    /** One column of the conflict. */
    @TemplateData
    public record Row(String column, Shown source, Shown target, boolean changed) {

        /** Source, then target: the page's two value columns. */
        public List<Shown> cells() {
            return List.of(source, target);
        }
    }

    /**
     * A value as shown: {@code kind} is {@code null} (SQL NULL), {@code text}, {@code hex} (binary) or
     * {@code gone} (no target row).
     */
    @TemplateData
    public record Shown(String kind, String value) {

        static Shown of(ConflictView.Cell cell) {
            if (cell == null) {
                return new Shown("null", "NULL");
            }
            return cell.hex() != null ? new Shown("hex", "0x" + cell.hex()) : new Shown("text", cell.text());
        }

        public boolean folded() {
            return value.length() > FOLD_AT;
        }

        /** The start of a folded value. */
        public String head() {
            return value.substring(0, Math.min(value.length(), FOLD_AT / 2)) + "…";
        }
    }

    static ConflictDiff of(List<String> columns, ConflictView c, boolean refused) {
        boolean gone = c.target() == null;
        List<Row> rows = new ArrayList<>();
        int changed = 0;
        for (int i = 0; i < columns.size(); i++) {
            Shown source = Shown.of(cell(c.source(), i));
            Shown target = gone ? new Shown("gone", "(no row)") : Shown.of(cell(c.target(), i));
            boolean differs = gone || !Objects.equals(source, target);
            changed += differs ? 1 : 0;
            rows.add(new Row(columns.get(i), source, target, differs));
        }
        String key = c.key().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
        return new ConflictDiff(c.id(), key, String.valueOf(c.parkedAt()), c.checkpoint(), gone, rows, changed,
                refused);
    }

    private static ConflictView.Cell cell(List<ConflictView.Cell> cells, int i) {
        return cells != null && i < cells.size() ? cells.get(i) : null;
    }
}
