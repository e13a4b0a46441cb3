package dev.tablesync.sync;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Id mode's MAX(id) readings that wait to be proven safe: a reading taken at source time t is
 * safe once no writer that was open at t is left. Readings come in rising order of time and id,
 * so the oldest settle first. Not thread-safe: {@link ChangeWindow} guards it.
 */
final class IdCandidates {

    /** Older readings past this many are not kept: a newer one settles later anyway. */
    private static final int MAX_PENDING = 64;

    /** MAX(id) as the server printed it, and the source time right after it was read. */
    record Candidate(String id, Instant readAt) {
        BigInteger value() {
            return new BigInteger(id);
        }
    }

    private final Deque<Candidate> pending = new ArrayDeque<>();
    private Candidate safe;

    /** Whether {@code c}'s id is above the highest safe one, so using it needs proof. */
    boolean isAboveSafe(Candidate c) {
        return safe == null || c.value().compareTo(safe.value()) > 0;
    }

    void add(Candidate c) {
        Candidate last = pending.peekLast();
        if (last != null && last.value().compareTo(c.value()) >= 0) {
            return;
        }
        if (pending.size() < MAX_PENDING) {
            pending.addLast(c);
        }
    }

    /**
     * Every writer still open started after {@code heldBack}: readings taken before it are safe.
     */
    void settle(Instant heldBack) {
        while (!pending.isEmpty() && pending.peekFirst().readAt().isBefore(heldBack)) {
            Candidate c = pending.removeFirst();
            if (isAboveSafe(c)) {
                safe = c;
            }
        }
    }

    /** Without a view of open writers: the reading is taken as it is (the warned-about fallback). */
    void trust(Candidate c) {
        pending.clear();
        if (isAboveSafe(c)) {
            safe = c;
        }
    }

    Optional<Candidate> safe() {
        return Optional.ofNullable(safe);
    }
}
