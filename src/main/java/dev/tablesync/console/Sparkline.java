package dev.tablesync.console;

import java.util.List;
import java.util.Locale;

import io.quarkus.qute.TemplateData;

/**
 * A small inline SVG line of recent lag values, drawn by the page as
 * {@code <polyline points="…">}; the highest value touches the top.
 *
 * @param points  SVG polyline points, empty with fewer than two samples
 * @param samples how many values are drawn
 * @param max     the highest value, in seconds
 * @param last    the newest value, in seconds
 */
@TemplateData
public record Sparkline(String points, int samples, long max, long last) {

    static final int WIDTH = 120;
    static final int HEIGHT = 24;

    public static Sparkline of(List<Long> values) {
        if (values.size() < 2) {
            return new Sparkline("", values.size(), values.isEmpty() ? 0 : values.get(0),
                    values.isEmpty() ? 0 : values.get(0));
        }
        long max = values.stream().mapToLong(Long::longValue).max().orElse(0);
        StringBuilder points = new StringBuilder();
        double step = (double) WIDTH / (values.size() - 1);
        for (int i = 0; i < values.size(); i++) {
            double y = max == 0 ? HEIGHT - 1 : 1 + (HEIGHT - 2) * (1 - (double) values.get(i) / max);
            points.append(String.format(Locale.ROOT, "%s%.1f,%.1f", i == 0 ? "" : " ", i * step, y));
        }
        return new Sparkline(points.toString(), values.size(), max, values.get(values.size() - 1));
    }

    public boolean drawn() {
        return !points.isEmpty();
    }

    public int width() {
        return WIDTH;
    }

    public int height() {
        return HEIGHT;
    }
}
