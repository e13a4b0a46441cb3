package dev.tablesync.sql;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The SQL of an expression default (DEFAULT_GENERATED) as MySQL 8's information_schema shows it, made into text
 * that MySQL and MariaDB both parse to the same value.
 *
 * <p>Three things stand between the shown text and that SQL:
 * <ul>
 * <li>every quote and backslash is escaped once more ({@code concat(_utf8mb4\'it\\\'s\')});</li>
 * <li>MySQL 8.0.31 shows non-ASCII characters double-encoded: each UTF-8 byte as one Latin-1 character
 * ({@code 'é'} as {@code 'Ã©'}), while {@code SHOW CREATE TABLE} shows them right;</li>
 * <li>MySQL prints every string literal with its charset introducer ({@code _utf8mb4'it\'s'}). MariaDB (10.11)
 * stores such a literal's value unescaped in its own text of the default and parses that again: a quote in it
 * makes the DDL fail, a backslash silently turns {@code \b} into a backspace, and in a latin1 table non-ASCII
 * characters become {@code \xC3} text that fails every later ALTER. A plain literal MariaDB prints right, so an
 * introduced literal holding anything but printable ASCII without quotes and backslashes becomes
 * {@code convert('it\'s' using utf8mb4)}: the same characters, the same charset. Its coercibility is implicit
 * instead of coercible, which only matters where it meets a column of another collation; the other literals
 * keep their introducer.</li>
 * </ul>
 */
final class MySqlExpressionDefault {

    private static final Pattern INTRODUCER = Pattern.compile("(?<![\\w$])_([a-z0-9]+)$");

    private MySqlExpressionDefault() {
    }

    static String sql(String shown) {
        return portableLiterals(fromDoubleEncoded(unescape(shown)));
    }

    /** Drops the extra backslash MySQL's information_schema puts before each quote and backslash of an expression. */
    private static String unescape(String expression) {
        StringBuilder sql = new StringBuilder(expression.length());
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '\\' && i + 1 < expression.length()) {
                c = expression.charAt(++i);
            }
            sql.append(c);
        }
        return sql.toString();
    }

    /**
     * The text whose UTF-8 bytes the shown Latin-1 characters are, or the text as shown when it is not such a
     * double encoding (pure ASCII, or a server that shows it right).
     */
    private static String fromDoubleEncoded(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xFF) {
                return text;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (CharacterCodingException notDoubleEncoded) {
            return text;
        }
    }

    /** Rewrites each introduced literal that holds a quote or backslash; skips quoted identifiers. */
    private static String portableLiterals(String expression) {
        StringBuilder sql = new StringBuilder(expression.length() + 16);
        int i = 0;
        while (i < expression.length()) {
            char c = expression.charAt(i);
            if (c != '\'' && c != '`' && c != '"') {
                sql.append(c);
                i++;
                continue;
            }
            int end = quotedEnd(expression, i, c);
            String quoted = expression.substring(i, end);
            var introducer = INTRODUCER.matcher(sql);
            if (c == '\'' && !plainAscii(quoted) && introducer.find()) {
                String charset = introducer.group(1);
                sql.setLength(introducer.start());
                sql.append("convert(").append(quoted).append(" using ").append(charset).append(')');
            } else {
                sql.append(quoted);
            }
            i = end;
        }
        return sql.toString();
    }

    /** Whether the quoted literal holds nothing but printable ASCII other than quotes and backslashes. */
    private static boolean plainAscii(String quoted) {
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c < ' ' || c > '~' || c == '\\' || c == '\'') {
                return false;
            }
        }
        return true;
    }

    /** Index just past the quoted text starting at {@code start}: doubled quotes and backslash escapes stay inside. */
    private static int quotedEnd(String text, int start, char quote) {
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\' && quote != '`') {
                i += 2;
            } else if (c == quote && i + 1 < text.length() && text.charAt(i + 1) == quote) {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        throw new IllegalArgumentException("unterminated " + quote + " in expression default: " + text);
    }
}
