package dev.tablesync.health;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** {@link HealthEndpointsTest} again, against the packaged application (jar, or native executable with -Pnative). */
@QuarkusIntegrationTest
@TestProfile(TwoMappingsITProfile.class)
class HealthEndpointsIT extends HealthEndpointsTest {
}
