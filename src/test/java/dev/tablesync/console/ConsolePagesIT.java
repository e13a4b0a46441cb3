package dev.tablesync.console;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/**
 * {@link ConsolePagesTest} again, against the packaged application in its own process (and the native executable
 * where the build makes one): templates, CSRF tokens and form handling as shipped.
 */
@QuarkusIntegrationTest
@TestProfile(ConsoleITProfile.class)
class ConsolePagesIT extends ConsolePagesTest {
}
