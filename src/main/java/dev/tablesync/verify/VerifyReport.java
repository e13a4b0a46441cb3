package dev.tablesync.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.tablesync.sync.RunKind;
import dev.tablesync.sync.RunStatus;

/**
 * What one verify (and repair) run of a mapping found and did. A value: kept in the target's
 * state schema beside the run history, and the source of the verify metrics and health data.
 *
 * @param status          a {@link RunStatus} label: {@code success}, {@code failed}, {@code busy} (another replica held the
 *                        mapping) or {@code paused} (a scheduled verify of a paused mapping; not recorded)
 * @param method          {@code checksum-table} (whole-table fast path, both sides equal) or {@code chunks}
 * @param chunks          key ranges compared (1 for the whole-table fast path)
 * @param differingChunks chunks whose count or aggregate hash differed
 * @param missing         keys on the source and not on the target
 * @param extra           keys on the target and not on the source (hard deletes, among others)
 * @param different       keys on both sides whose compared columns differ
 * @param upserted        rows the repair inserted or changed on the target
 * @param deleted         target rows the repair deleted because the source no longer has their key
 * @param unrepaired      differences still on the target after this run (all of them without repair)
 * @param notCompared     columns left out of the comparison, each with the reason
 * @param sample          the first few differing keys, e.g. {@code missing (id=42)}
 */
public record VerifyReport(String mappingId, String runKey, Instant startedAt, Duration duration, boolean repair,
        String status, String method, long chunks, long differingChunks, long missing, long extra, long different,
        long upserted, long deleted, long unrepaired, List<String> notCompared, List<String> sample,
        Optional<String> error) {

    public VerifyReport {
        notCompared = List.copyOf(notCompared);
        sample = List.copyOf(sample);
    }

    /** Rows that differed when compared: missing + extra + different. */
    public long mismatches() {
        return missing + extra + different;
    }

    /** The run-history kind: {@code verify} or {@code verify+repair}. */
    public String kind() {
        return (repair ? RunKind.VERIFY_REPAIR : RunKind.VERIFY).label();
    }

    /** One line for the log; never contains credentials. */
    public String summary() {
        return String.format("mapping=%s status=%s run=%s method=%s chunks=%d differing-chunks=%d missing=%d extra=%d"
                + " different=%d upserted=%d deleted=%d unrepaired=%d duration=%.3fs%s%s", mappingId, status, kind(),
                method, chunks, differingChunks, missing, extra, different, upserted, deleted, unrepaired,
                duration.toNanos() / 1e9, notCompared.isEmpty() ? "" : " not-compared=" + notCompared,
                error.map(e -> " error=\"" + e + "\"").orElse(""));
    }
}
