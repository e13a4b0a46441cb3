package dev.tablesync.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * A properties file that gives each secret-bearing key twice (an edit that appended instead of
 * replacing) makes SmallRye Config warn about each duplicate, quoting the overridden value: the
 * warning must name the key but no secret may reach the console or the log file. Named to run
 * before the other main tests of this package: their bad configuration outlives their launch.
 * Its own outlives it too, so the file is emptied afterwards and later applications read nothing
 * from it.
 */
@QuarkusMainTest
@TestProfile(LogHidesSecretsTest.Profile.class)
class LogHidesSecretsTest {

    static final Path LOG_FILE = Path.of("target/log-hides-secrets.log");
    static final Path PROPERTIES = Path.of("target/log-hides-secrets.properties");

    /** Key, first (overridden) value, second value: every value is a secret. */
    static final List<List<String>> DUPLICATED = List.of(
            List.of("tablesync.connections.dup.password", "old-conn-Secret-4711", "new-conn-Secret-4712"),
            List.of("tablesync.connections.dup.url", "jdbc:mysql://127.0.0.1:1/db?password=old-Url-Secret-31",
                    "jdbc:mysql://127.0.0.1:1/db?password=new-Url-Secret-32"),
            List.of("tablesync.connections.dup.username", "old-user-Secret-51", "new-user-Secret-52"),
            List.of("quarkus.security.users.embedded.users.alice", "old-alice-Secret-71", "new-alice-Secret-72"));

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            StringBuilder file = new StringBuilder();
            DUPLICATED.forEach(d -> file.append(d.get(0)).append('=').append(d.get(1)).append('\n'));
            DUPLICATED.forEach(d -> file.append(d.get(0)).append('=').append(d.get(2)).append('\n'));
            try {
                Files.deleteIfExists(LOG_FILE);
                Files.writeString(PROPERTIES, file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // No mapping: start-up reads the configuration and run-once ends at once.
            return Map.of("tablesync.run-once", "true",
                    "quarkus.config.locations", PROPERTIES.toAbsolutePath().toString(),
                    "quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", LOG_FILE.toString());
        }
    }

    @AfterAll
    static void forgetTheFile() throws IOException {
        Files.writeString(PROPERTIES, "");
    }

    @Test
    void shouldLogADuplicatedKeyWithoutAnyOfItsValues(QuarkusMainLauncher launcher) throws IOException {
        LaunchResult result = launcher.launch();

        String console = result.getOutput() + result.getErrorOutput();
        String file = Files.exists(LOG_FILE) ? Files.readString(LOG_FILE) : "";
        for (List<String> duplicated : DUPLICATED) {
            String warning = "Duplicate value found for name : " + duplicated.get(0);
            assertTrue(console.contains(warning), "the console names the duplicated key " + duplicated.get(0) + ":\n"
                    + console);
            for (String log : List.of(console, file)) {
                assertFalse(log.contains(duplicated.get(1)), "overridden value of " + duplicated.get(0) + " logged:\n"
                        + log);
                assertFalse(log.contains(duplicated.get(2)), "value of " + duplicated.get(0) + " logged:\n" + log);
            }
        }
    }
}
