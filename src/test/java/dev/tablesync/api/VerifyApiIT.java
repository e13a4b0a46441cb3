package dev.tablesync.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** {@link VerifyApiTest} again, against the packaged application in its own process. */
@QuarkusIntegrationTest
@TestProfile(ApiITProfile.class)
class VerifyApiIT extends VerifyApiTest {
}
