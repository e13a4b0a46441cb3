package dev.tablesync.deploy;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names and label names a PromQL expression (or a Grafana {@code label_values(...)}
 * query) refers to. Enough PromQL for the alerts and the dashboard: selectors, grouping clauses,
 * ranges, functions, operators and Grafana variables.
 */
record PromQlNames(Set<String> metrics, Set<String> labels) {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern MATCHERS = Pattern.compile("\\{([^}]*)}");
    private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*(.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan");

    static PromQlNames of(String expression) {
        Set<String> metrics = new TreeSet<>();
        Set<String> labels = new TreeSet<>();
        String expr = expression;
        Matcher lv = LABEL_VALUES.matcher(expr);
        if (lv.matches()) {
            labels.add(lv.group(2));
            expr = lv.group(1);
        }
        Matcher m = MATCHERS.matcher(expr);
        while (m.find()) {
            Matcher label = MATCHER_LABEL.matcher(STRING.matcher(m.group(1)).replaceAll("\"\""));
            while (label.find()) {
                labels.add(label.group(1));
            }
        }
        expr = STRING.matcher(MATCHERS.matcher(expr).replaceAll(" ")).replaceAll(" ");
        Matcher g = GROUPING.matcher(expr);
        while (g.find()) {
            for (String label : g.group(1).split(",")) {
                if (!label.isBlank()) {
                    labels.add(label.trim());
                }
            }
        }
        expr = GROUPING.matcher(expr).replaceAll(" ").replaceAll("\\[[^]]*]", " ");
        Matcher id = IDENTIFIER.matcher(expr);
        while (id.find()) {
            if (!KEYWORDS.contains(id.group(1).toLowerCase(java.util.Locale.ROOT))) {
                metrics.add(id.group(1));
            }
        }
        return new PromQlNames(metrics, labels);
    }
}
