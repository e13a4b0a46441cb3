package dev.tablesync.testsupport;

import java.util.Map;

/**
 * The source and target servers shared by every test in the JVM.
 *
 * <p>Starting servers costs seconds, so they are started once, on first use, and stopped by a JVM shutdown
 * hook; this holds across class loaders, so {@code @QuarkusTest}s and plain tests see the same servers (see
 * {@link SharedServers}). Tests isolate themselves by database name (see
 * {@link TestServer#recreateDatabase(String)}), not by server. {@code -Dtablesync-test.server} (or
 * {@code TABLESYNC_TEST_SERVER}) = {@code mariadb}, {@code mysql} (8.0.31) or {@code mysql-8.0.15} picks two local
 * servers of that kind; {@code SOURCE-to-TARGET} of those values (e.g. {@code mariadb-to-mysql}) a mixed pair.
 * Otherwise the backend is chosen automatically, first match wins:
 * <ol>
 *   <li>external servers named by {@code TABLESYNC_TEST_SOURCE_URL} / {@code TABLESYNC_TEST_TARGET_URL} (plus
 *       optional {@code _USER} / {@code _PASSWORD} variables, default root with an empty password);</li>
 *   <li>Testcontainers, when Docker is available ({@code TABLESYNC_TEST_IMAGE}, default {@code mysql:8.4});</li>
 *   <li>two local mariadbd processes, when the MariaDB server binaries are installed;</li>
 *   <li>two local MySQL 8.0.31 processes from a test-scoped Maven jar, so that Java alone is enough.</li>
 * </ol>
 */
public final class TestServers {

    private static TestServers instance;

    private final TestServer source;
    private final TestServer target;
    private final String description;

    private TestServers(TestServer source, TestServer target, String description) {
        this.source = source;
        this.target = target;
        this.description = description;
    }

    /** The servers, started on the first call in the JVM; throws the same start-up failure on every call. */
    public static synchronized TestServers get() {
        if (instance == null) {
            Map<String, Object> state = SharedServers.jvmWideState();
            instance = new TestServers(
                    SharedServers.restore(state.get(SharedServers.SOURCE)),
                    SharedServers.restore(state.get(SharedServers.TARGET)),
                    (String) state.get(SharedServers.DESCRIPTION));
        }
        return instance;
    }

    public TestServer source() {
        return source;
    }

    public TestServer target() {
        return target;
    }

    /**
     * How verify compares whole tables on these servers: CHECKSUM TABLE is MariaDB's fast path only
     * (MySQL documents a read lock for it, so verify uses chunks there).
     */
    public String wholeTableVerifyMethod() {
        boolean mariadb = source.flavor().equals("mariadb") && target.flavor().equals("mariadb");
        return mariadb ? "checksum-table" : "chunks";
    }

    /**
     * True for a mixed pair (e.g. MariaDB source, MySQL target): what each flavor prints about the same data,
     * CHECKSUM TABLE, information_schema text and FLOAT/DOUBLE text, differs, so tests compare values instead.
     */
    public boolean mixedFlavors() {
        return !source.flavor().equals(target.flavor());
    }

    /** E.g. {@code MariaDB 10.11.19 (local mariadbd, source :34123 binlog on, target :34511)}, for logs. */
    public String describe() {
        return description;
    }
}
