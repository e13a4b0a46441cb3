package dev.tablesync.conflict;

import java.time.Instant;

/** One resolved conflict, as the history keeps it: who resolved which key how, and when. */
public record Resolution(long id, long conflictId, RowImage key, Action action, String resolvedBy, Instant resolvedAt) {

    /** What a person decided about a parked row. */
    public enum Action {
        /** Write the parked source image to the target; the sync owns the row again. */
        TAKE_SOURCE,
        /** Leave the target row as it is and let the sync treat it as its own. */
        KEEP_TARGET,
        /** Change nothing: the conflict goes away only if source and target now hold the same. */
        RECHECK;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /** The action a label names, e.g. {@code take-source}; empty for anything else. */
        public static java.util.Optional<Action> of(String label) {
            for (Action a : values()) {
                if (a.label().equals(label)) {
                    return java.util.Optional.of(a);
                }
            }
            return java.util.Optional.empty();
        }
    }
}
