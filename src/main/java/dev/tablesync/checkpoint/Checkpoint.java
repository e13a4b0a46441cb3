package dev.tablesync.checkpoint;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.tablesync.binlog.BinlogPosition;
import dev.tablesync.schema.Mode;
import dev.tablesync.schema.SyncedSchema;

/**
 * Where one mapping stands, as committed in the target together with the rows it describes.
 * Immutable: each step returns a new checkpoint, which the caller saves in the batch's transaction.
 *
 * @param cursor           position in the current phase; empty at the start of a phase
 * @param incrementalStart where the incremental phase starts, recorded before the snapshot began
 * @param snapshotStart    source time at which the current snapshot began; in a timestamp or id checkpoint switching
 *                         to mode binlog, the source time read right after {@code binlogPosition}
 * @param completeUpTo     source time up to which the target is known complete
 * @param rowsCopied       rows written in the current phase, for progress
 * @param syncedSchema     the source's key and columns as the target last matched them (schema drift)
 * @param binlogPosition   mode binlog: during the snapshot, the source's log position read before its first chunk
 *                         (where following the log starts); after it, the point right after the last source
 *                         transaction applied. Always present in mode binlog; in mode timestamp or id only while the
 *                         mapping switches to binlog without a snapshot (see {@link #switchingToBinlog}): the
 *                         position the log is followed from once the timestamp window passed {@code snapshotStart}.
 */
public record Checkpoint(String mappingId, Phase phase, Mode mode, String fingerprint, Optional<Cursor> cursor,
        Optional<Cursor> incrementalStart, Optional<Instant> snapshotStart, Optional<Instant> completeUpTo,
        long rowsCopied, Instant updatedAt, Optional<SyncedSchema> syncedSchema,
        Optional<BinlogPosition> binlogPosition) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public Checkpoint {
        Objects.requireNonNull(mappingId, "mappingId");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(cursor, "cursor");
        Objects.requireNonNull(incrementalStart, "incrementalStart");
        Objects.requireNonNull(snapshotStart, "snapshotStart");
        Objects.requireNonNull(completeUpTo, "completeUpTo");
        Objects.requireNonNull(syncedSchema, "syncedSchema");
        Objects.requireNonNull(binlogPosition, "binlogPosition");
        if (mode == Mode.AUTO) {
            throw new IllegalArgumentException("a checkpoint records the resolved mode, not auto");
        }
        if (!SHA256.matcher(fingerprint).matches()) {
            throw new IllegalArgumentException("fingerprint must be a SHA-256 hex string, got " + fingerprint);
        }
        if (phase == Phase.INCREMENTAL && mode == Mode.FULL) {
            throw new IllegalArgumentException("mode full has no incremental phase");
        }
        if (phase == Phase.COPIED && mode != Mode.FULL) {
            throw new IllegalArgumentException("only mode full ends in COPIED");
        }
        if (mode == Mode.BINLOG && binlogPosition.isEmpty()) {
            throw new IllegalArgumentException("a mode binlog checkpoint needs its binlog position (phase " + phase
                    + ")");
        }
        if (mode != Mode.BINLOG && binlogPosition.isPresent() && (phase != Phase.INCREMENTAL
                || (mode != Mode.TIMESTAMP && mode != Mode.ID) || snapshotStart.isEmpty())) {
            throw new IllegalArgumentException("only mode binlog keeps a binlog position, or an incremental timestamp"
                    + " or id checkpoint switching to binlog with the source time of that position; not mode "
                    + mode.label() + " in phase " + phase);
        }
        if (phase == Phase.COPIED && mode == Mode.BINLOG) {
            throw new IllegalArgumentException("mode binlog follows the log after its snapshot and never ends in COPIED");
        }
        if (rowsCopied < 0) {
            throw new IllegalArgumentException("rows copied must not be negative");
        }
    }

    /** A checkpoint that does not know the source's schema (made before schema drift was followed). */
    public Checkpoint(String mappingId, Phase phase, Mode mode, String fingerprint, Optional<Cursor> cursor,
            Optional<Cursor> incrementalStart, Optional<Instant> snapshotStart, Optional<Instant> completeUpTo,
            long rowsCopied, Instant updatedAt) {
        this(mappingId, phase, mode, fingerprint, cursor, incrementalStart, snapshotStart, completeUpTo, rowsCopied,
                updatedAt, Optional.empty(), Optional.empty());
    }

    /** A checkpoint without a binlog position: every mode but binlog. */
    public Checkpoint(String mappingId, Phase phase, Mode mode, String fingerprint, Optional<Cursor> cursor,
            Optional<Cursor> incrementalStart, Optional<Instant> snapshotStart, Optional<Instant> completeUpTo,
            long rowsCopied, Instant updatedAt, Optional<SyncedSchema> syncedSchema) {
        this(mappingId, phase, mode, fingerprint, cursor, incrementalStart, snapshotStart, completeUpTo, rowsCopied,
                updatedAt, syncedSchema, Optional.empty());
    }

    /**
     * A snapshot about to begin at source time {@code startedAt}, with the point the incremental
     * phase will start from. What an earlier checkpoint proved complete stays proved.
     */
    public static Checkpoint snapshot(String mappingId, Mode mode, String fingerprint, Optional<Cursor> start,
            Instant startedAt, Optional<Instant> completeUpTo, Instant now) {
        return new Checkpoint(mappingId, Phase.SNAPSHOT, mode, fingerprint, Optional.empty(), start,
                Optional.of(startedAt), completeUpTo, 0, now);
    }

    /**
     * A mode binlog snapshot about to begin at source time {@code startedAt}: the log is followed from
     * {@code from}, read before the first chunk, so no change is missed; changes the snapshot already saw are
     * applied again, and converge because the log carries whole rows and later images win.
     */
    public static Checkpoint binlogSnapshot(String mappingId, String fingerprint, BinlogPosition from,
            Instant startedAt, Optional<Instant> completeUpTo, Instant now) {
        return new Checkpoint(mappingId, Phase.SNAPSHOT, Mode.BINLOG, fingerprint, Optional.empty(), Optional.empty(),
                Optional.of(startedAt), completeUpTo, 0, now, Optional.empty(), Optional.of(from));
    }

    /**
     * Mode binlog: the source transactions up to {@code after} are applied; the target is complete up to their
     * source commit time {@code sourceTime} (never moved back).
     */
    public Checkpoint applied(BinlogPosition after, Instant sourceTime, long rows, Instant now) {
        if (phase != Phase.INCREMENTAL || mode != Mode.BINLOG) {
            throw new IllegalStateException("only a mode binlog checkpoint past its snapshot follows the log, not "
                    + describe());
        }
        Optional<Instant> complete = completeUpTo.filter(c -> c.isAfter(sourceTime)).or(() -> Optional.of(sourceTime));
        return new Checkpoint(mappingId, phase, mode, fingerprint, cursor, incrementalStart, snapshotStart, complete,
                rowsCopied + rows, now, syncedSchema, Optional.of(after));
    }

    /**
     * An incremental timestamp or id checkpoint that switches to mode binlog without a snapshot: the log will be
     * followed from {@code at}, read at source time {@code sourceTime}, once the incremental runs made the target
     * complete past that time (every transaction committed before {@code at} is then copied).
     */
    public Checkpoint switchingToBinlog(BinlogPosition at, Instant sourceTime, Instant now) {
        if (phase != Phase.INCREMENTAL || (mode != Mode.TIMESTAMP && mode != Mode.ID)) {
            throw new IllegalStateException("only an incremental timestamp or id checkpoint switches to binlog, not "
                    + describe());
        }
        return new Checkpoint(mappingId, phase, mode, fingerprint, cursor, incrementalStart, Optional.of(sourceTime),
                completeUpTo, rowsCopied, now, syncedSchema, Optional.of(at));
    }

    /** Whether this timestamp or id checkpoint waits to switch to mode binlog. */
    public boolean switching() {
        return mode != Mode.BINLOG && binlogPosition.isPresent();
    }

    /** The switch is done: the target is complete past the switch's source time; the log is followed from there. */
    public Checkpoint switchedToBinlog(String binlogFingerprint, Instant now) {
        Instant at = snapshotStart.orElseThrow(() -> new IllegalStateException("not switching: " + describe()));
        if (!switching() || completeUpTo.filter(c -> c.isAfter(at)).isEmpty()) {
            throw new IllegalStateException("the target is not complete past " + at + " yet: " + describe());
        }
        return new Checkpoint(mappingId, phase, Mode.BINLOG, binlogFingerprint, Optional.empty(), Optional.empty(),
                Optional.empty(), completeUpTo, rowsCopied, now, syncedSchema, binlogPosition);
    }

    /** A switch to binlog given up (the mapping went back to its mode): the incremental position alone. */
    public Checkpoint withoutSwitch(Instant now) {
        return new Checkpoint(mappingId, phase, mode, fingerprint, cursor, incrementalStart, Optional.empty(),
                completeUpTo, rowsCopied, now, syncedSchema, Optional.empty());
    }

    public Checkpoint advance(Cursor position, long rows, Instant now) {
        return new Checkpoint(mappingId, phase, mode, fingerprint, Optional.of(position), incrementalStart,
                snapshotStart, completeUpTo, rowsCopied + rows, now, syncedSchema, binlogPosition);
    }

    /**
     * The snapshot finished: every change committed before it began is in the target.
     * Incremental runs continue from the recorded start; mode full waits for its next copy.
     */
    public Checkpoint snapshotDone(Instant now) {
        Optional<Instant> complete = snapshotStart.isPresent() ? snapshotStart : completeUpTo;
        if (mode == Mode.FULL) {
            return new Checkpoint(mappingId, Phase.COPIED, mode, fingerprint, Optional.empty(), Optional.empty(),
                    Optional.empty(), complete, rowsCopied, now, syncedSchema);
        }
        return new Checkpoint(mappingId, Phase.INCREMENTAL, mode, fingerprint, incrementalStart, Optional.empty(),
                Optional.empty(), complete, 0, now, syncedSchema, binlogPosition);
    }

    /** The target holds every change up to {@code sourceTime}. */
    public Checkpoint completeUpTo(Instant sourceTime, Instant now) {
        return new Checkpoint(mappingId, phase, mode, fingerprint, cursor, incrementalStart, snapshotStart,
                Optional.of(sourceTime), rowsCopied, now, syncedSchema, binlogPosition);
    }

    /** The same position, for a target that now matches {@code schema}; saved with the next batch. */
    public Checkpoint withSyncedSchema(SyncedSchema schema) {
        return new Checkpoint(mappingId, phase, mode, fingerprint, cursor, incrementalStart, snapshotStart,
                completeUpTo, rowsCopied, updatedAt, Optional.of(schema), binlogPosition);
    }

    public boolean matches(String otherFingerprint) {
        return fingerprint.equals(otherFingerprint);
    }

    public String describe() {
        if (switching()) {
            return "incremental" + cursor.map(Cursor::toString).orElse("(start)") + " switching to binlog"
                    + binlogPosition.get();
        }
        if (mode == Mode.BINLOG && phase == Phase.INCREMENTAL) {
            return "binlog" + binlogPosition.map(p -> p.toString()).orElse("");
        }
        return phase.name().toLowerCase(java.util.Locale.ROOT) + cursor.map(Cursor::toString).orElse("(start)");
    }
}
