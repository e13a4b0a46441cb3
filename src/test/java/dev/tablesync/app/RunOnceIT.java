package dev.tablesync.app;

import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;

/** {@link RunOnceTest} against the packaged application (jar, or native executable with -Dnative). */
@QuarkusMainIntegrationTest
@TestProfile(RunOnceTest.Profile.class)
class RunOnceIT extends RunOnceTest {
}
