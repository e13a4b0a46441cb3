package dev.tablesync.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** {@link MappingApiTest} again, against the packaged application in its own process. */
@QuarkusIntegrationTest
@TestProfile(ApiITProfile.class)
class MappingApiIT extends MappingApiTest {
}
