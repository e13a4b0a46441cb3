package dev.tablesync.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.tablesync.sql.SchemaSql;
import dev.tablesync.checkpoint.Checkpoint;
import dev.tablesync.config.ConflictPolicy;
import dev.tablesync.config.DeleteMode;
import dev.tablesync.config.Mapping;
import dev.tablesync.schema.Column;
import dev.tablesync.schema.Mode;
import dev.tablesync.schema.SchemaDrift;
import dev.tablesync.schema.SoftDeleteChoice;
import dev.tablesync.schema.SoftDeleteColumnDetector;
import dev.tablesync.schema.SyncedSchema;
import dev.tablesync.schema.TableId;
import dev.tablesync.schema.TableSchema;
import dev.tablesync.sql.SchemaReader;
import dev.tablesync.schema.TrackingChoice;
import dev.tablesync.schema.TrackingColumnDetector;
import dev.tablesync.sql.Dialect;
import dev.tablesync.sql.TargetTable;

/**
 * Everything one run of a mapping needs to know about its tables, checked before any row moves:
 * both definitions, the tracking choice, the soft-delete choice, the copied columns and the
 * configuration fingerprint that a checkpoint must match to be resumed. Follows schema drift:
 * columns added on the source are added to the target; other changes stop the mapping.
 *
 * @param syncedSchema  the source's key and columns, which the target now matches
 * @param targetChanged whether this plan created the target table or added columns to it
 */
public record SyncPlan(Mapping mapping, TableSchema source, TableSchema target, TrackingChoice tracking,
        List<Column> columns, Dialect sourceDialect, Dialect targetDialect, String fingerprint,
        List<String> warnings, boolean targetChanged, SoftDeleteChoice softDelete, SyncedSchema syncedSchema) {

    private static final Logger LOG = Logger.getLogger(SyncPlan.class);
    private static final java.util.Map<String, String> FINGERPRINTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** A plan that does not follow schema drift (no checkpoint to compare with). */
    public static SyncPlan prepare(Mapping mapping, Connection source, Dialect sourceDialect, Connection target,
            Dialect targetDialect) throws SQLException {
        Tables tables = new Tables(mapping.sourceTable().inSchema(SchemaReader.defaultSchema(source)),
                mapping.targetTable().inSchema(SchemaReader.defaultSchema(target)), Optional.empty());
        return prepare(mapping, source, sourceDialect, target, targetDialect, Optional.empty(), tables);
    }

    /**
     * Both tables of a run, their schemas resolved.
     *
     * @param knownTarget the target's definition as an earlier run read it, used instead of reading it again
     */
    public record Tables(TableId source, TableId target, Optional<TableSchema> knownTarget) {
    }

    /**
     * @param checkpoint the mapping's checkpoint: when present, the source is compared with the
     *                   schema the target last matched, and the target follows added columns
     */
    public static SyncPlan prepare(Mapping mapping, Connection source, Dialect sourceDialect, Connection target,
            Dialect targetDialect, Optional<Checkpoint> checkpoint, Tables tables) throws SQLException {
        TableId sourceId = tables.source();
        TableSchema src = SchemaReader.read(source, sourceId).orElseThrow(() -> new MappingException("source table "
                + sourceId + " does not exist on connection " + mapping.sourceConnection() + "; check tablesync.mappings."
                + mapping.id() + ".source-table"));
        if (!src.hasKey()) {
            throw new MappingException("source table " + sourceId + " has no primary key nor NOT NULL unique key,"
                    + " so rows cannot be matched in the target; add one, e.g. ALTER TABLE " + sourceId
                    + " ADD PRIMARY KEY (id)");
        }
        TableId targetId = tables.target();
        // A source that changed since the target last matched it is compared with the target as it is now.
        SyncedSchema synced = SyncedSchema.of(src);
        boolean sourceUnchanged = checkpoint.flatMap(Checkpoint::syncedSchema).filter(synced::equals).isPresent();
        Optional<TableSchema> existing = tables.knownTarget().isPresent() && sourceUnchanged ? tables.knownTarget()
                : SchemaReader.read(target, targetId);
        SchemaDrift drift = drift(mapping, checkpoint, src, existing);
        TrackingChoice tracking = chooseTracking(mapping, src);
        SoftDeleteChoice softDelete = chooseSoftDelete(mapping, src, tracking);
        drift.adopted().forEach(a -> LOG.infof("Mapping %s: source %s: %s", mapping.id(), sourceId, a));
        if (!drift.added().isEmpty()) {
            existing = Optional.of(addColumns(mapping, src, existing.get(), drift.added(), source, sourceDialect,
                    target, targetDialect));
        }
        TargetTable tgt;
        try {
            tgt = TargetTable.ensure(target, targetDialect, src, targetId, existing);
        } catch (IllegalArgumentException e) {
            throw new MappingException("mapping " + mapping.id() + ": " + e.getMessage(), e);
        }
        List<Column> columns = src.columns().stream()
                .filter(c -> tgt.schema().column(c.name()).map(t -> !t.isGenerated()).orElse(true)).toList();
        List<String> warnings = new ArrayList<>(tracking.warnings());
        if (mapping.deleteMode() == DeleteMode.HARD) {
            warnings.addAll(softDelete.warnings());
        }
        warnings.addAll(tgt.warnings());
        return new SyncPlan(mapping, src, tgt.schema(), tracking, columns, sourceDialect, targetDialect,
                fingerprint(mapping, src, tracking, softDelete), warnings, tgt.created() || !drift.added().isEmpty(),
                softDelete, synced);
    }

    private static TrackingChoice chooseTracking(Mapping mapping, TableSchema src) {
        TrackingChoice tracking;
        try {
            tracking = TrackingColumnDetector.choose(mapping.mode(), mapping.trackingColumn(), src,
                    mapping.commitDelay());
        } catch (IllegalArgumentException e) {
            throw new MappingException("mapping " + mapping.id() + ": " + e.getMessage(), e);
        }
        if (mapping.conflict() == ConflictPolicy.NEWER_WINS && tracking.mode() != Mode.TIMESTAMP) {
            throw new MappingException("mapping " + mapping.id() + ": conflict newer-wins needs a timestamp tracking"
                    + " column but " + src.id() + " syncs by " + tracking.describe() + "; set tracking-column");
        }
        return tracking;
    }

    private static SoftDeleteChoice chooseSoftDelete(Mapping mapping, TableSchema src, TrackingChoice tracking) {
        String key = "tablesync.mappings." + mapping.id() + ".";
        SoftDeleteChoice choice;
        try {
            choice = SoftDeleteColumnDetector.choose(mapping.softDeleteColumn(), src, key + "soft-delete-column");
        } catch (IllegalArgumentException e) {
            throw new MappingException("mapping " + mapping.id() + ": " + e.getMessage(), e);
        }
        if (mapping.deleteMode() == DeleteMode.HARD && choice.column().isEmpty()) {
            throw new MappingException("mapping " + mapping.id() + ": " + key + "delete-mode is hard but " + src.id()
                    + " has no soft-delete column (" + choice.reason() + "); set " + key + "soft-delete-column");
        }
        if (mapping.deleteMode() == DeleteMode.HARD && tracking.mode() == Mode.ID) {
            throw new MappingException("mapping " + mapping.id() + ": " + key + "delete-mode is hard but " + src.id()
                    + " syncs by " + tracking.describe() + ", which never sees a row marked deleted after it was"
                    + " copied; set tracking-column to a timestamp column or use delete-mode copy");
        }
        return choice;
    }

    private static SchemaDrift drift(Mapping mapping, Optional<Checkpoint> checkpoint, TableSchema src,
            Optional<TableSchema> existing) {
        return existing.isEmpty() || checkpoint.isEmpty() ? new SchemaDrift(List.of(), List.of())
                : SchemaDrift.between(mapping.id(), known(checkpoint.get(), src, existing.get()), src, existing.get(),
                        trackingOf(checkpoint.get()));
    }

    /** What the target last matched; a checkpoint from before drift was followed takes what both have now. */
    private static SyncedSchema known(Checkpoint cp, TableSchema src, TableSchema target) {
        return cp.syncedSchema().orElseGet(() -> new SyncedSchema(src.key(), src.columns().stream()
                .filter(c -> target.column(c.name()).isPresent()).map(SyncedSchema.Shape::of).toList()));
    }

    static Optional<String> trackingOf(Checkpoint cp) {
        if (cp.mode() != Mode.TIMESTAMP) {
            return Optional.empty();
        }
        return cp.cursor().or(cp::incrementalStart).map(c -> c.columns().get(0));
    }

    /** Adds source columns the target lacks, after the column they follow on the source when the target has it. */
    private static TableSchema addColumns(Mapping mapping, TableSchema src, TableSchema existing, List<Column> added,
            Connection source, Dialect sourceDialect, Connection target, Dialect targetDialect) throws SQLException {
        // Only binary literal defaults need it: information_schema loses their bytes.
        byte[] sourceDefinition = added.stream().anyMatch(sourceDialect.schema()::defaultNeedsTableDefinition)
                ? SchemaReader.rawDefinition(source, sourceDialect, src.id()) : null;
        List<String> have = new ArrayList<>(existing.columns().stream().map(Column::name).toList());
        try (Statement s = target.createStatement()) {
            s.execute(SchemaSql.EXPLICIT_TIMESTAMP_DEFAULTS);
            for (Column c : added) {
                int at = src.columns().indexOf(c);
                Optional<String> after = at == 0 ? Optional.empty()
                        : Optional.of(src.columns().get(at - 1).name()).filter(p -> have.stream()
                                .anyMatch(p::equalsIgnoreCase)).or(() -> Optional.of(have.get(have.size() - 1)));
                Optional<String> def = sourceDialect.schema().defaultNeedsTableDefinition(c)
                        ? sourceDialect.schema().defaultSql(c, sourceDefinition) : sourceDialect.schema().defaultSql(c);
                String sql = targetDialect.schema().addColumn(existing.id(), c, def, after);
                s.execute(sql);
                have.add(c.name());
                LOG.infof("Mapping %s: column %s was added to source %s; added it to target %s: %s", mapping.id(),
                        c.name(), src.id(), existing.id(), sql);
                if (c.isGenerated() || c.isAutoIncrement()
                        || def.filter(d -> d.startsWith("(") || d.startsWith("CURRENT_TIMESTAMP")).isPresent()) {
                    LOG.warnf("Mapping %s: source column %s.%s is computed (%s): rows already in the target got a"
                            + " value of their own, which may differ from the source's; POST /api/mappings/%s/reset to"
                            + " copy them again", mapping.id(), src.id(), c.name(), def.orElse(c.extra()),
                            mapping.id());
                }
            }
        }
        return SchemaReader.read(target, existing.id()).orElseThrow(() -> new SQLException("table " + existing.id()
                + " vanished right after ALTER TABLE"));
    }

    /**
     * What a checkpoint's meaning depends on; when it changes, the mapping is copied again. Columns
     * are not part of it: an added column must not cost a snapshot. Hard deletes are (only when on,
     * so older checkpoints stay valid): the copy removes rows marked deleted under copy mode.
     */
    static String fingerprint(Mapping mapping, TableSchema source, TrackingChoice tracking,
            SoftDeleteChoice softDelete) {
        String text = String.join("|", "v1", mapping.sourceConnection(), source.id().toString(),
                mapping.targetConnection(), mapping.targetTable().toString(), tracking.mode().name(),
                tracking.column().map(Column::name).orElse(""), String.join(",", source.key()));
        if (mapping.deleteMode() == DeleteMode.HARD) {
            text += "|hard-delete:" + softDelete.column().map(Column::name).orElse("");
        }
        // Every run computes the same few: SHA-256 in the interpreter (one run a second) is not free.
        if (FINGERPRINTS.size() > 64) {
            FINGERPRINTS.clear();
        }
        return FINGERPRINTS.computeIfAbsent(text, SyncPlan::sha256);
    }

    private static String sha256(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** The same tables under another tracking choice, with its fingerprint (a mapping switching modes). */
    SyncPlan withTracking(TrackingChoice other) {
        return new SyncPlan(mapping, source, target, other, columns, sourceDialect, targetDialect,
                fingerprint(mapping, source, other, softDelete), warnings, targetChanged, softDelete, syncedSchema);
    }

    public List<Column> keyColumns() {
        return source.keyColumns();
    }

    /**
     * The key's columns as the target defines them, for comparisons that run on the target: an ENUM
     * or SET is compared by member number, which the target's own member list decides. A column whose
     * kind differs there keeps the source's, in which its cursor values are written.
     */
    public List<Column> targetKeyColumns() {
        return keyColumns().stream()
                .map(c -> target.column(c.name()).filter(t -> t.kind() == c.kind()).orElse(c)).toList();
    }

    /** Read order of the incremental phase: the tracking column then the key, or the key alone. */
    public List<Column> incrementalOrder() {
        if (tracking.mode() != Mode.TIMESTAMP) {
            return keyColumns();
        }
        List<Column> order = new ArrayList<>();
        order.add(tracking.column().orElseThrow());
        order.addAll(keyColumns());
        return order;
    }

    /** Positions of {@code wanted} in {@link #columns()}, to pull cursor values out of a row. */
    public int[] positions(List<Column> wanted) {
        int[] positions = new int[wanted.size()];
        for (int i = 0; i < wanted.size(); i++) {
            String name = wanted.get(i).name();
            positions[i] = indexOf(name);
        }
        return positions;
    }

    private int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new MappingException("column " + name + " of " + source.id() + " is generated in target "
                + target.id() + "; it cannot be a key or tracking column there");
    }

    public Optional<String> trackingColumnName() {
        return tracking.column().map(Column::name);
    }

    /** Rows the source marks deleted are deleted from the target rather than copied. */
    public boolean hardDeletes() {
        return mapping.deleteMode() == DeleteMode.HARD && softDelete.column().isPresent();
    }
}
