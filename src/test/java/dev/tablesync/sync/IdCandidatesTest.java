package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Id mode's MAX(id) readings become safe only once the writers open when they were taken have ended. */
class IdCandidatesTest {

    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

    private static IdCandidates.Candidate read(String id, int second) {
        return new IdCandidates.Candidate(id, T.plusSeconds(second));
    }

    @Test
    void shouldKeepTheSafeIdUntilTheWritersOpenAtAReadingHaveEnded() {
        IdCandidates ids = new IdCandidates();
        ids.add(read("10", 0));
        ids.add(read("20", 1));
        ids.settle(T); // a writer open since the first reading
        assertEquals(Optional.empty(), ids.safe());
        ids.settle(T.plusMillis(500));
        assertEquals("10", ids.safe().orElseThrow().id());
        ids.settle(T.plusSeconds(2));
        assertEquals("20", ids.safe().orElseThrow().id());
        assertTrue(!ids.isAboveSafe(read("19", 3)) && ids.isAboveSafe(read("21", 3)));
    }

    @Test
    void shouldCompareIdsAsNumbersNotText() {
        IdCandidates ids = new IdCandidates();
        ids.trust(read("9", 0));
        ids.add(read("10", 1));
        ids.settle(T.plusSeconds(2));
        assertEquals("10", ids.safe().orElseThrow().id());
        assertTrue(ids.isAboveSafe(read("18446744073709551615", 3)));
    }
}
