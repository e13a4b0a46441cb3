package dev.tablesync.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits until a freshly started server accepts JDBC connections.
 *
 * <p>"Process started" or "port open" is not enough: mariadbd and the container entrypoints open the port
 * before authentication works, so only a successful login proves readiness.
 */
final class ServerReadiness {

    private static final long POLL_MILLIS = 100;

    private ServerReadiness() {
    }

    /**
     * Polls every 100 ms until a connection succeeds.
     *
     * @param alive       false as soon as the server can no longer come up (process exited), to fail fast
     * @param diagnostics text appended to the failure message, e.g. the tail of the error log
     */
    static void await(JdbcTestServer server, Duration timeout, BooleanSupplier alive, Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!alive.getAsBoolean()) {
                throw failure(server, "exited during start-up", last, diagnostics);
            }
            last = tryConnect(server);
            if (last == null) {
                return;
            }
            pause();
        }
        throw failure(server, "did not accept connections within " + timeout.toSeconds() + " s", last, diagnostics);
    }

    /** Returns null on success, the error otherwise. */
    private static SQLException tryConnect(JdbcTestServer server) {
        String url = server.jdbcUrl("") + "?connectTimeout=2000&socketTimeout=3000";
        try (Connection ignored = DriverManager.getConnection(url, server.username(), server.password())) {
            return null;
        } catch (SQLException e) {
            return e;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a database server", e);
        }
    }

    private static IllegalStateException failure(
            JdbcTestServer server, String what, SQLException last, Supplier<String> diagnostics) {
        String message = "Database server " + server.address() + " " + what
                + (last == null ? "" : "; last connection error: " + last.getMessage())
                + "\n" + diagnostics.get();
        return new IllegalStateException(message, last);
    }
}
