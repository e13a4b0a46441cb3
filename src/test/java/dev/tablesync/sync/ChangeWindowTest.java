package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.sql.Dialect;

/** The change window's bound in the zone the tracking column's values live in, on a real source. */
class ChangeWindowTest {

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("window");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    private static String sessionZone(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@session.time_zone")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Instant text(String value, ZoneOffset zone) {
        return LocalDateTime.parse(value.replace(' ', 'T')).toInstant(zone);
    }

    @Test
    void shouldGiveTheBoundInTheServerZoneAndLeaveTheSessionInUtc() throws SQLException {
        fx.sourceServer.execute(fx.sourceDb, "SET GLOBAL time_zone = '+05:30'");
        try (Connection c = fx.dataSources.connect("source")) {
            Dialect dialect = fx.dataSources.dialect("source", c);
            ChangeWindow window = new ChangeWindow("w");
            Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(5);

            ChangeWindow.Bound local = window.compute(c, dialect, Duration.ofSeconds(2), true);
            assertEquals("+00:00", sessionZone(c), "the session goes back to UTC");
            ChangeWindow.Bound utc = window.compute(c, dialect, Duration.ofSeconds(2), false);

            assertEquals(local.sourceTime(), text(local.value(), ZoneOffset.ofHoursMinutes(5, 30)), local.value());
            assertEquals(utc.sourceTime(), text(utc.value(), ZoneOffset.UTC), utc.value());
            assertTrue(local.sourceTime().isAfter(before) && !utc.sourceTime().isBefore(local.sourceTime()),
                    local + " then " + utc);
            assertEquals("+00:00", sessionZone(c));
        } finally {
            fx.sourceServer.execute(fx.sourceDb, "SET GLOBAL time_zone = 'SYSTEM'");
        }
    }
}
