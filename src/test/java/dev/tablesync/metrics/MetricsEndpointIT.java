package dev.tablesync.metrics;

import dev.tablesync.health.TwoMappingsITProfile;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** {@link MetricsEndpointTest} again, against the packaged application (jar, or native executable with -Pnative). */
@QuarkusIntegrationTest
@TestProfile(TwoMappingsITProfile.class)
class MetricsEndpointIT extends MetricsEndpointTest {
}
