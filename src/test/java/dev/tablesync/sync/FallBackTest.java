package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Where a run re-reads from when the wall clock of a DATETIME tracking column went back. */
class FallBackTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Optional<LocalDateTime> rereadFrom(String a, String b) {
        Instant from = Instant.parse(a);
        Instant to = Instant.parse(b);
        return FallBack.rereadFrom(from, LocalDateTime.ofInstant(from, BERLIN), to, LocalDateTime.ofInstant(to, BERLIN));
    }

    @Test
    void shouldReReadFromAnHourBeforeThePreviousBoundWhenTheClockWentBackInBetween() {
        // 02:55 CEST, then 02:20 CET: rows of the repeated hour carry 02:00 to 02:20 again
        assertEquals(Optional.of(LocalDateTime.parse("2026-10-25T01:55")),
                rereadFrom("2026-10-25T00:55:00Z", "2026-10-25T01:20:00Z"));
        // 02:55 CEST, then 03:10 CET
        assertEquals(Optional.of(LocalDateTime.parse("2026-10-25T01:55")),
                rereadFrom("2026-10-25T00:55:00Z", "2026-10-25T02:10:00Z"));
    }

    @Test
    void shouldNotReReadWhenTheClockDidNotGoBack() {
        assertEquals(Optional.empty(), rereadFrom("2026-10-25T01:20:00Z", "2026-10-25T01:21:00Z"));
        assertEquals(Optional.empty(), rereadFrom("2026-03-29T00:55:00Z", "2026-03-29T01:05:00Z")); // spring forward
        assertEquals(Optional.empty(), rereadFrom("2026-07-01T10:00:00Z", "2026-07-01T10:00:01Z"));
    }

    @Test
    void shouldReReadAsFarAsTheZoneEverGoesBackAfterAPauseOfMonths() {
        Instant a = Instant.parse("2026-10-25T00:55:00Z"); // 02:55 CEST
        Instant b = Instant.parse("2027-07-01T10:00:00Z"); // summer again: the ends show the same offset
        Duration winter = Duration.ofHours(1);
        assertEquals(Optional.of(LocalDateTime.parse("2026-10-25T01:55")), FallBack.rereadFrom(a,
                LocalDateTime.ofInstant(a, BERLIN), b, LocalDateTime.ofInstant(b, BERLIN), winter));
        Instant january = Instant.parse("2027-01-10T10:00:00Z"); // from winter time the clock only goes forward
        assertEquals(Optional.empty(), FallBack.rereadFrom(january, LocalDateTime.ofInstant(january, BERLIN), b,
                LocalDateTime.ofInstant(b, BERLIN), winter));
    }
}
