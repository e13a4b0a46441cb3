package dev.tablesync.app;

import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;

/** {@link RunOnceFidelityTest} against the packaged application (jar, or native executable with -Dnative). */
@QuarkusMainIntegrationTest
@TestProfile(RunOnceFidelityTest.Profile.class)
class RunOnceFidelityIT extends RunOnceFidelityTest {
}
