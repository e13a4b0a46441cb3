package dev.tablesync.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Random;

import org.junit.jupiter.api.Test;

class UtcTextTest {

    /** What the state tables were written and read with before the hand-written text. */
    private static Instant javaTimeParse(String text) {
        return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }

    @Test
    void shouldFormatExactlyAsTheDateTimeFormatter() {
        Random random = new Random(5);
        long min = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            Instant t = Instant.ofEpochSecond(min + (long) (random.nextDouble() * (max - min)),
                    random.nextInt(1_000_000_000));
            assertEquals(UtcText.FORMAT.format(t), UtcText.format(t), t::toString);
        }
        for (String edge : new String[] {"1970-01-01T00:00:00Z", "2024-02-29T23:59:59.999999999Z",
            "0001-01-01T00:00:00.000001Z", "9999-12-31T23:59:59.999999Z", "-0001-06-01T00:00:00Z",
            "+10000-01-01T00:00:00Z"}) {
            Instant t = Instant.parse(edge);
            assertEquals(UtcText.FORMAT.format(t), UtcText.format(t), edge);
        }
    }

    @Test
    void shouldParseWhatItFormatsAndWhatTheServerReturns() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000) * 1000);
            String text = UtcText.format(t);
            assertEquals(t, UtcText.parse(text), text);
            for (int digits = 0; digits <= 9; digits++) {
                String shorter = digits == 0 ? text.substring(0, 19)
                        : (text + "000").substring(0, 20 + digits);
                assertEquals(javaTimeParse(shorter), UtcText.parse(shorter), shorter);
            }
        }
    }

    @Test
    void shouldRefuseOrReadUnusualTextAsJavaTimeDoes() {
        for (String text : new String[] {"2024-02-29 10:11", "2024-02-29T10:11:12.5", "+12024-02-29 10:11:12",
            "2024-01-01 00:00:00."}) {
            assertEquals(javaTimeParse(text), UtcText.parse(text), text);
        }
        for (String text : new String[] {"2023-02-29 10:11:12", "2024-13-01 00:00:00", "2024-01-01 24:00:00",
            "2024-01-01 00:00:0x", "2024-01-01 00:00:00.1234567890", "2024-1-01 00:00:00",
            "2024-01-01 00:60:00.000001"}) {
            assertThrows(DateTimeException.class, () -> javaTimeParse(text), text);
            assertThrows(DateTimeException.class, () -> UtcText.parse(text), text);
        }
    }
}
