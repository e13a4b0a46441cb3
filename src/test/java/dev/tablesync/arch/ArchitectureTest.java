package dev.tablesync.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Rules of the code's shape that review would otherwise have to catch, checked in every build.
 * <p>
 * Packages depend on each other in one direction only; each may use those listed before it:
 * {@code schema} (the table model), {@code config}, {@code sql}, {@code checkpoint}, {@code sync},
 * {@code verify}, {@code schedule}, then {@code metrics}, {@code health} and {@code api}, then
 * {@code console} (pages over the API), and last the main class. Each {@code package-info.java}
 * says what its package is for and what it may use.
 */
class ArchitectureTest {

    private static final Path MAIN_SOURCES = Path.of("src/main/java/dev/tablesync");

    /**
     * A string literal that starts a statement: an upper-case SQL keyword, then a space or a
     * parenthesis. Messages that quote SQL further on ("... ALTER TABLE t ...", " SET GLOBAL ...") and
     * lower-case words ("Delete the checkpoint") do not match. Source text rather than bytecode,
     * because javac copies the dialect's constants into every class that uses them.
     */
    static final Pattern STATEMENT = Pattern.compile(
            "^(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|TRUNCATE|SHOW|SET|LOAD|REPLACE|LOCK|UNLOCK|"
                    + "START TRANSACTION|COMMIT|ROLLBACK|CALL|DO|WITH|EXPLAIN|ANALYZE|CHECKSUM|FLUSH|KILL)[\\s(]");

    @Test
    void packagesDependOnEachOtherWithoutCycles() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.tablesync");
        slices().matching("dev.tablesync.(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void onlyTheSqlPackageWritesSql() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                if (!file.startsWith(MAIN_SOURCES.resolve("sql"))) {
                    sqlLiterals(Files.readString(file)).forEach(text -> found.add(file + ": \"" + text + "\""));
                }
            }
        }
        assertEquals(List.of(), found, "SQL text belongs in the dialect classes of dev.tablesync.sql");
    }

    @Test
    void theSqlCheckFindsLiteralsTextBlocksAndConcatenationsButNotMessagesOrComments() {
        String source = """
                class Elsewhere {
                    // "SELECT in a comment"
                    /* "DELETE in a comment" */
                    static final String A = "SELECT 1";
                    String b(String t) { return "UPDATE " + t + " SET a = ?"; }
                    String c = \"""
                            INSERT INTO t VALUES (1)
                            \""";
                    String d = "table t: run ALTER TABLE t first";
                    String e = " SET GLOBAL local_infile = ON helps";
                    char f = '"';
                    String g = "escaped \\" quote";
                }
                """;
        assertEquals(List.of("SELECT 1", "UPDATE ", "INSERT INTO t VALUES (1)\n"), sqlLiterals(source));
    }

    /** The string literals of a Java source that start a statement, in order. */
    static List<String> sqlLiterals(String source) {
        return literals(source).stream().filter(s -> STATEMENT.matcher(s).find()).toList();
    }

    /** String literals and text blocks (contents as written, indentation of text blocks removed). */
    static List<String> literals(String src) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < src.length()) {
            if (src.startsWith("//", i)) {
                i = Math.max(src.indexOf('\n', i), i + 2);
            } else if (src.startsWith("/*", i)) {
                i = src.indexOf("*/", i + 2) + 2;
            } else if (src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                out.add(src.substring(src.indexOf('\n', i) + 1, end).stripIndent());
                i = end + 3;
            } else if (src.charAt(i) == '\'' || src.charAt(i) == '"') {
                char quote = src.charAt(i);
                int j = i + 1;
                while (src.charAt(j) != quote) {
                    j += src.charAt(j) == '\\' ? 2 : 1;
                }
                if (quote == '"') {
                    out.add(src.substring(i + 1, j));
                }
                i = j + 1;
            } else {
                i++;
            }
        }
        return out;
    }
}
