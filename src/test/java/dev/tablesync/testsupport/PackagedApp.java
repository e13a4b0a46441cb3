package dev.tablesync.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.ServerSocket;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile.TestResourceEntry;

/** What a test profile adds for the packaged application ({@code *IT}). */
public final class PackagedApp {

    private static final String TEST_PORT = "quarkus.management.test-port";

    private PackagedApp() {
    }

    /**
     * {@code injected} (a {@code @TestHTTPResource(management = true)}) on the management port the
     * application really listens on. In an {@code *IT} that is the port {@link FreeManagementPort}
     * chose, which the launcher sets as a system property of the test JVM after the injection's
     * configuration was read; in a {@code @QuarkusTest} the injected URL is right already.
     */
    public static URL managementUrl(URL injected) {
        String port = System.getProperty(TEST_PORT);
        if (port == null || !port.matches("[1-9][0-9]{0,4}") || Integer.parseInt(port) == injected.getPort()) {
            return injected;
        }
        try {
            return new URL(injected.getProtocol(), injected.getHost(), Integer.parseInt(port), injected.getFile());
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code resources} and {@link FreeManagementPort}. The integration-test launcher gives the
     * application a free HTTP port and reads it back from its log, but does neither for the
     * management port: the application would take application.properties' 9000 while
     * {@code @TestHTTPResource(management = true)} looks at Quarkus's default test port 9001, fixed
     * ports two test runs on one machine collide on.
     */
    public static List<TestResourceEntry> withFreeManagementPort(List<TestResourceEntry> resources) {
        List<TestResourceEntry> all = new ArrayList<>(resources);
        all.add(new TestResourceEntry(FreeManagementPort.class));
        return all;
    }

    /**
     * Puts the application's management interface on a port free at its start. A test resource, not
     * a profile override: the launcher passes a resource's properties to the application and also
     * sets them as system properties of the test JVM, where {@link #managementUrl} reads the port.
     */
    public static final class FreeManagementPort implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            String port = String.valueOf(freePort());
            return Map.of("quarkus.management.port", port, TEST_PORT, port);
        }

        @Override
        public void stop() {
            // nothing held: the port was only chosen
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("no free port for the management interface", e);
            }
        }
    }
}
