package dev.tablesync.binlog;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Decodes character data that the binlog carries in the column's own character set, as the server converts it for
 * a UTF-8 client. MySQL's {@code latin1} is Windows-1252 with the five bytes Windows leaves undefined mapped to the
 * C1 controls of the same number.
 */
final class Charsets {

    private static final Charset CP1252 = Charset.forName("windows-1252");

    private Charsets() {
    }

    static String decode(byte[] bytes, String mysqlCharset) {
        return switch (mysqlCharset.toLowerCase(Locale.ROOT)) {
            case "utf8mb4", "utf8mb3", "utf8" -> new String(bytes, StandardCharsets.UTF_8);
            case "latin1" -> latin1(bytes);
            case "ascii" -> new String(bytes, StandardCharsets.US_ASCII);
            case "binary" -> new String(bytes, StandardCharsets.ISO_8859_1);
            case "ucs2", "utf16" -> new String(bytes, StandardCharsets.UTF_16BE);
            case "utf16le" -> new String(bytes, StandardCharsets.UTF_16LE);
            case "utf32" -> new String(bytes, Charset.forName("UTF-32BE"));
            case "cp1250" -> new String(bytes, Charset.forName("windows-1250"));
            case "cp1251" -> new String(bytes, Charset.forName("windows-1251"));
            case "latin2" -> new String(bytes, Charset.forName("ISO-8859-2"));
            case "greek" -> new String(bytes, Charset.forName("ISO-8859-7"));
            case "sjis" -> new String(bytes, Charset.forName("Shift_JIS"));
            case "gbk" -> new String(bytes, Charset.forName("GBK"));
            case "big5" -> new String(bytes, Charset.forName("Big5"));
            default -> throw new IllegalStateException("binlog capture cannot decode character set " + mysqlCharset
                    + " yet; use mode=timestamp for tables with such columns");
        };
    }

    private static String latin1(byte[] bytes) {
        String text = new String(bytes, CP1252);
        if (text.indexOf('\uFFFD') < 0) {
            return text;
        }
        StringBuilder b = new StringBuilder(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            int u = bytes[i] & 0xFF;
            boolean undefined = u == 0x81 || u == 0x8D || u == 0x8F || u == 0x90 || u == 0x9D;
            b.append(undefined ? (char) u : text.charAt(i));
        }
        return b.toString();
    }
}
