package dev.tablesync.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the source table changed since the target last matched it ({@link SyncedSchema}), judged
 * against the target as it is now. Columns added on the source are to be added to the target.
 * A column dropped or retyped on the source, or a changed key, stops the mapping unless the
 * target already matches the source again (an operator aligned it): then the change is adopted.
 *
 * @param added   source columns the target lacks, in source order: to add to the target
 * @param adopted changes the target already follows, for the log
 */
public record SchemaDrift(List<Column> added, List<String> adopted) {

    public SchemaDrift {
        added = List.copyOf(added);
        adopted = List.copyOf(adopted);
    }

    /**
     * @param tracking the checkpoint's tracking column, named in the message when it is dropped
     * @throws SchemaDriftException when the source changed in a way the target cannot follow by itself
     */
    public static SchemaDrift between(String mappingId, SyncedSchema known, TableSchema source, TableSchema target,
            Optional<String> tracking) {
        List<String> problems = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        List<String> adopted = new ArrayList<>();
        if (!known.key().equals(source.key())) {
            String change = "the primary key changed from " + known.key() + " to " + source.key();
            if (target.key().equals(source.key())) {
                adopted.add(change + " (the target has the new key; the next snapshot copies the table again)");
            } else {
                problems.add(change);
                fixes.add("give the target PRIMARY KEY " + source.key());
            }
        }
        for (SyncedSchema.Shape was : known.columns()) {
            Optional<Column> now = source.column(was.name());
            Optional<SyncedSchema.Shape> inTarget = target.column(was.name()).map(SyncedSchema.Shape::of);
            if (now.isEmpty()) {
                boolean tracked = tracking.filter(t -> t.equalsIgnoreCase(was.name())).isPresent();
                String change = "column `" + was.name() + "` " + was + " was dropped"
                        + (tracked ? " (the tracking column)" : "");
                if (inTarget.isEmpty()) {
                    adopted.add(change + "; the target no longer has it either");
                } else {
                    problems.add(change);
                    fixes.add("drop column `" + was.name() + "` from the target");
                }
                continue;
            }
            SyncedSchema.Shape is = SyncedSchema.Shape.of(now.get());
            if (!is.sameDefinition(was) && inTarget.isPresent()) {
                String change = "column `" + was.name() + "` changed from " + was + " to " + is;
                if (inTarget.get().holds(is)) {
                    adopted.add(change + "; the target column is " + inTarget.get());
                } else {
                    problems.add(change + " (target has " + inTarget.get() + ")");
                    fixes.add("make target column `" + was.name() + "` " + is);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new SchemaDriftException(message(mappingId, source, target, problems, fixes));
        }
        List<Column> added = source.columns().stream()
                .filter(c -> known.column(c.name()).isEmpty() && target.column(c.name()).isEmpty()).toList();
        return new SchemaDrift(added, adopted);
    }

    private static String message(String mappingId, TableSchema source, TableSchema target, List<String> problems,
            List<String> fixes) {
        return "schema drift: source table " + source.id() + " of mapping " + mappingId + " changed: "
                + String.join("; ", problems) + ". Target " + target.id() + " was left as it is and the mapping is"
                + " stopped. To proceed, align the target table (" + String.join("; ", fixes) + "), then POST"
                + " /api/mappings/" + mappingId + "/reset to re-snapshot (without a reset, the mapping resumes from its"
                + " checkpoint once the target matches the source, and copies no existing row again)";
    }
}
