package dev.tablesync.binlog;

import java.math.BigDecimal;
import java.math.BigInteger;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonFormatter;

/**
 * MySQL's binary JSON as the text MySQL itself prints for it ({@code {"a": [1, 2.5]}}: a space after each colon and
 * comma, doubles keep a fraction, only {@code "}, {@code \} and control characters escaped), which is what a JDBC read
 * of the column returns. The library's own formatter writes a compact form.
 */
final class MysqlJsonText implements JsonFormatter {

    private final StringBuilder out = new StringBuilder();

    @Override
    public void beginObject(int entries) {
        out.append('{');
    }

    @Override
    public void beginArray(int entries) {
        out.append('[');
    }

    @Override
    public void endObject() {
        out.append('}');
    }

    @Override
    public void endArray() {
        out.append(']');
    }

    @Override
    public void name(String name) {
        quoted(name);
        out.append(": ");
    }

    @Override
    public void value(String value) {
        quoted(value);
    }

    @Override
    public void value(int value) {
        out.append(value);
    }

    @Override
    public void value(long value) {
        out.append(value);
    }

    @Override
    public void value(double value) {
        String text = DoubleText.of(value);
        out.append(text.contains(".") || text.contains("e") ? text : text + ".0");
    }

    @Override
    public void value(BigInteger value) {
        out.append(value);
    }

    @Override
    public void value(BigDecimal value) {
        out.append(value.toPlainString());
    }

    @Override
    public void value(boolean value) {
        out.append(value);
    }

    @Override
    public void valueNull() {
        out.append("null");
    }

    @Override
    public void valueYear(int year) {
        out.append(year);
    }

    @Override
    public void valueDate(int year, int month, int day) {
        out.append(String.format("\"%04d-%02d-%02d\"", year, month, day));
    }

    @Override
    public void valueDatetime(int year, int month, int day, int hour, int min, int sec, int micros) {
        out.append(String.format("\"%04d-%02d-%02d %02d:%02d:%02d.%06d\"", year, month, day, hour, min, sec, micros));
    }

    @Override
    public void valueTime(int hour, int min, int sec, int micros) {
        out.append(String.format("\"%s%02d:%02d:%02d.%06d\"", hour < 0 ? "-" : "", Math.abs(hour), min, sec, micros));
    }

    @Override
    public void valueTimestamp(long secondsPastEpoch, int micros) {
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(secondsPastEpoch, 0, java.time.ZoneOffset.UTC);
        valueDatetime(t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(),
                micros);
    }

    @Override
    public void valueOpaque(ColumnType type, byte[] value) {
        out.append("\"base64:type").append(type.getCode()).append(':')
                .append(java.util.Base64.getEncoder().encodeToString(value)).append('"');
    }

    @Override
    public void nextEntry() {
        out.append(", ");
    }

    private void quoted(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
