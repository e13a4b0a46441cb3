package dev.tablesync.metrics;

import dev.tablesync.health.TwoMappingsITProfile;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/**
 * {@link PromtoolCheckTest} again, against the packaged application: a native executable publishes
 * other runtime meters than the JVM does, and the whole scrape must still parse.
 */
@QuarkusIntegrationTest
@TestProfile(TwoMappingsITProfile.class)
class PromtoolCheckIT extends PromtoolCheckTest {
}
