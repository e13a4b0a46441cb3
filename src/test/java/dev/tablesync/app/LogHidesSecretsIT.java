package dev.tablesync.app;

import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;

/**
 * {@link LogHidesSecretsTest} against the packaged application: it reads its configuration once more
 * while its classes initialise, which the in-process test does not see.
 */
@QuarkusMainIntegrationTest
@TestProfile(LogHidesSecretsTest.Profile.class)
class LogHidesSecretsIT extends LogHidesSecretsTest {
}
