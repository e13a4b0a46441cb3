package dev.tablesync.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads sample values out of a Prometheus text exposition (format 0.0.4), for assertions. */
public final class PrometheusText {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String text;

    public PrometheusText(String text) {
        this.text = text;
    }

    /** The value of the first sample named {@code name} whose labels include {@code labels}. */
    public OptionalDouble value(String name, Map<String, String> labels) {
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (m.find() && m.group(1).equals(name) && labels(m.group(2)).entrySet().containsAll(labels.entrySet())) {
                return OptionalDouble.of(Double.parseDouble(m.group(3)));
            }
        }
        return OptionalDouble.empty();
    }

    /** The value, failing the test when there is no such sample. */
    public double require(String name, Map<String, String> labels) {
        return value(name, labels).orElseThrow(() -> new AssertionError("no sample " + name + labels + " in:\n" + text));
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text != null) {
            Matcher m = LABEL.matcher(text);
            while (m.find()) {
                labels.put(m.group(1), m.group(2));
            }
        }
        return labels;
    }

    @Override
    public String toString() {
        return text;
    }
}
