package dev.tablesync.verify;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import dev.tablesync.schema.Column;

/**
 * Collects the differing keys of one verify run: counts them by kind, keeps a few as a sample for
 * the report and, when repairing, hands them to the {@link RepairWriter} a batch at a time, so
 * memory stays bounded however many rows differ.
 */
final class Differences {

    enum Kind {
        MISSING, EXTRA, DIFFERENT;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static final int SAMPLE_SIZE = 10;

    private final List<Column> key;
    private final RepairWriter repair;
    private final int batchSize;
    private final long[] counts = new long[Kind.values().length];
    private final List<String> sample = new ArrayList<>();
    private final List<byte[][]> pending = new ArrayList<>();

    /** @param repair null for a verify without repair */
    Differences(List<Column> key, RepairWriter repair, int batchSize) {
        this.key = key;
        this.repair = repair;
        this.batchSize = batchSize;
    }

    void add(Kind kind, byte[][] keyValues) throws SQLException {
        counts[kind.ordinal()]++;
        if (sample.size() < SAMPLE_SIZE) {
            sample.add(kind.label() + " " + describe(keyValues));
        }
        if (repair != null) {
            pending.add(keyValues);
            if (pending.size() >= batchSize) {
                flush();
            }
        }
    }

    /** Repairs the keys collected so far. */
    void flush() throws SQLException {
        if (repair != null && !pending.isEmpty()) {
            repair.repair(pending);
            pending.clear();
        }
    }

    long count(Kind kind) {
        return counts[kind.ordinal()];
    }

    long total() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    List<String> sample() {
        return sample;
    }

    private String describe(byte[][] values) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            byte[] v = values[i];
            parts.add(key.get(i).name() + "=" + (v == null ? "NULL" : new String(v, StandardCharsets.UTF_8)));
        }
        return "(" + String.join(", ", parts) + ")";
    }
}
