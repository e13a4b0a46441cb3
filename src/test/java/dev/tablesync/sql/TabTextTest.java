package dev.tablesync.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class TabTextTest {

    private static String encode(TabText text) {
        return new String(Arrays.copyOf(text.bytes(), text.length()), StandardCharsets.ISO_8859_1);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void shouldEscapeOnlyTheBytesThatEndAFieldOrARowAndMarkNullAsBackslashN() {
        TabText text = new TabText(new boolean[5]);
        text.append(new byte[][] {b("a\tb\nc\rd\\e\0f"), null, b("\\N"), b(""), b("NULL\u00ff")});

        assertEquals("a\\tb\\nc\\rd\\\\e\\0f\t\\N\t\\\\N\t\tNULL\u00ff\n", encode(text));
    }

    @Test
    void shouldReuseItsBufferAndGrowPastItsInitialSize() {
        TabText text = new TabText(new boolean[2]);
        text.append(new byte[][] {b("old")});
        text.reset();
        byte[] big = new byte[100_000];
        Arrays.fill(big, (byte) 'x');
        text.append(new byte[][] {big, b("y")});

        assertEquals(100_003, text.length());
        assertEquals("x\ty\n", encode(text).substring(99_999));
    }

    @Test
    void shouldWriteBinaryFieldsAsHexSoNoServerReadsThemAsCharacters() {
        TabText text = new TabText(new boolean[] {false, true, true, true});
        text.append(new byte[][] {b("a"), new byte[] {(byte) 0xE5, 0x0A, 0x5C, 0x00}, null, new byte[0]});

        assertEquals("a\tE50A5C00\t\\N\t\n", encode(text));
    }

    @Test
    void shouldDecodeExactlyTheRowsItWasGivenWhateverTheirBytes() {
        java.util.Random random = new java.util.Random(42);
        boolean[] hex = {false, true, false, false};
        TabText text = new TabText(hex, 16);
        java.util.List<byte[][]> rows = new java.util.ArrayList<>();
        for (int r = 0; r < 500; r++) {
            byte[][] row = new byte[4][];
            for (int f = 0; f < 4; f++) {
                if (random.nextInt(6) > 0) {
                    // every byte value, the ones that are escaped included, at random lengths (0 too)
                    row[f] = new byte[random.nextInt(40)];
                    random.nextBytes(row[f]);
                }
            }
            rows.add(row);
            text.append(row);
        }
        text.append(new byte[][] {b("\\N"), new byte[0], b(""), null});
        rows.add(new byte[][] {b("\\N"), new byte[0], b(""), null});

        java.util.List<byte[][]> decoded = text.decode();

        assertEquals(rows.size(), text.rows());
        assertEquals(rows.size(), decoded.size());
        for (int r = 0; r < rows.size(); r++) {
            for (int f = 0; f < 4; f++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(rows.get(r)[f], decoded.get(r)[f],
                        "row " + r + " field " + f);
            }
        }
    }

    @Test
    void shouldCountRowsUntilReset() {
        TabText text = new TabText(new boolean[1]);
        text.append(new byte[][] {b("a")});
        text.append(new byte[][] {b("b")});
        assertEquals(2, text.rows());
        text.reset();
        assertEquals(0, text.rows());
        assertEquals(0, text.decode().size());
    }
}
