package dev.tablesync.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/** Finds promtool: a test without it is skipped on a developer machine and fails under CI. */
public final class Promtool {

    private Promtool() {
    }

    public static Path binary() {
        Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "promtool")).filter(Files::isExecutable).findFirst();
        if (found.isEmpty()) {
            String message = "promtool is not on PATH: install the Debian package prometheus (apt-get install prometheus)";
            if (System.getenv("CI") != null) {
                fail(message);
            }
            Assumptions.assumeTrue(false, message);
        }
        return found.get();
    }
}
