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
}
