package dev.tablesync.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import dev.tablesync.config.ConflictPolicy;
import dev.tablesync.config.Mapping;
import dev.tablesync.config.Mode;
import dev.tablesync.schema.Column;
import dev.tablesync.schema.SchemaReader;
import dev.tablesync.schema.TableSchema;
import dev.tablesync.schema.TargetTable;
import dev.tablesync.schema.TrackingChoice;
import dev.tablesync.schema.TrackingColumnDetector;
import dev.tablesync.sql.Dialect;

/**
 * Everything one run of a mapping needs to know about its tables, checked before any row moves:
 * both definitions, the tracking choice, the copied columns and the configuration fingerprint
 * that a checkpoint must match to be resumed.
 */
public record SyncPlan(Mapping mapping, TableSchema source, TableSchema target, TrackingChoice tracking,
        List<Column> columns, Dialect sourceDialect, Dialect targetDialect, String fingerprint,
        List<String> warnings, boolean targetCreated) {

    public static SyncPlan prepare(Mapping mapping, Connection source, Dialect sourceDialect, Connection target,
            Dialect targetDialect) throws SQLException {
        var sourceId = mapping.sourceTable().inSchema(SchemaReader.defaultSchema(source));
        TableSchema src = SchemaReader.read(source, sourceId).orElseThrow(() -> new MappingException("source table "
                + sourceId + " does not exist on connection " + mapping.sourceConnection() + "; check tablesync.mappings."
                + mapping.id() + ".source-table"));
        if (!src.hasKey()) {
            throw new MappingException("source table " + sourceId + " has no primary key nor NOT NULL unique key,"
                    + " so rows cannot be matched in the target; add one, e.g. ALTER TABLE " + sourceId
                    + " ADD PRIMARY KEY (id)");
        }
        TrackingChoice tracking;
        try {
            tracking = TrackingColumnDetector.choose(mapping.mode(), mapping.trackingColumn(), src,
                    mapping.commitDelay());
        } catch (IllegalArgumentException e) {
            throw new MappingException("mapping " + mapping.id() + ": " + e.getMessage(), e);
        }
        if (mapping.conflict() == ConflictPolicy.NEWER_WINS && tracking.mode() != Mode.TIMESTAMP) {
            throw new MappingException("mapping " + mapping.id() + ": conflict newer-wins needs a timestamp tracking"
                    + " column but " + sourceId + " syncs by " + tracking.describe() + "; set tracking-column");
        }
        var targetId = mapping.targetTable().inSchema(SchemaReader.defaultSchema(target));
        TargetTable tgt;
        try {
            tgt = TargetTable.ensure(target, targetDialect, src, targetId);
        } catch (IllegalArgumentException e) {
            throw new MappingException("mapping " + mapping.id() + ": " + e.getMessage(), e);
        }
        List<Column> columns = src.columns().stream()
                .filter(c -> tgt.schema().column(c.name()).map(t -> !t.isGenerated()).orElse(true)).toList();
        List<String> warnings = new ArrayList<>(tracking.warnings());
        warnings.addAll(tgt.warnings());
        return new SyncPlan(mapping, src, tgt.schema(), tracking, columns, sourceDialect, targetDialect,
                fingerprint(mapping, src, tracking), warnings, tgt.created());
    }

    /** What a checkpoint's meaning depends on; when it changes, the mapping is copied again. */
    static String fingerprint(Mapping mapping, TableSchema source, TrackingChoice tracking) {
        String text = String.join("|", "v1", mapping.sourceConnection(), source.id().toString(),
                mapping.targetConnection(), mapping.targetTable().toString(), tracking.mode().name(),
                tracking.column().map(Column::name).orElse(""), String.join(",", source.key()));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    public List<Column> keyColumns() {
        return source.keyColumns();
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
}
