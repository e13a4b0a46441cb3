package dev.tablesync.sync;

import dev.tablesync.schema.Mode;
import dev.tablesync.testsupport.TestConfig;
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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.config.Mapping;
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

    /**
     * Loads a time zone into the source server's zone tables unless it has it (test servers start without).
     * MariaDB's tool is used for both flavours (the MySQL jars ship no mysql_tzinfo_to_sql): its output
     * is MySQL's zone-table inserts plus MariaDB-only Galera guards, which MySQL is spared.
     */
    private static void loadZone(String zone) throws IOException, InterruptedException, SQLException {
        if (SyncFixture.count(fx.sourceServer, fx.sourceDb,
                "SELECT COUNT(*) FROM mysql.time_zone_name WHERE Name = '" + zone + "'") > 0) {
            return;
        }
        Process p;
        try {
            p = new ProcessBuilder("mariadb-tzinfo-to-sql", "/usr/share/zoneinfo/" + zone, zone).start();
        } catch (IOException e) {
            Assumptions.abort("mariadb-tzinfo-to-sql is needed to load " + zone + ": " + e.getMessage());
            return;
        }
        String sql = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), sql);
        try (Connection c = fx.sourceServer.connect("mysql"); Statement s = c.createStatement()) {
            for (String statement : sql.split(";\n")) {
                if (!statement.isBlank() && (fx.sourceServer.flavor().equals("mariadb") || !mariaDbOnly(statement))) {
                    s.execute(statement);
                }
            }
        }
    }

    /** The tool's Galera guards: system-variable reads, EXECUTE IMMEDIATE, SET STATEMENT and MariaDB-only comments. */
    private static boolean mariaDbOnly(String statement) {
        String s = statement.strip().toLowerCase(Locale.ROOT);
        return s.startsWith("set @wsrep") || s.startsWith("execute immediate") || s.startsWith("set statement")
                || s.startsWith("/*m!");
    }

    @Test
    void shouldCopyRowsWrittenInTheRepeatedHourOfADaylightSavingFallBack() throws Exception {
        loadZone("Europe/Berlin");
        fx.sourceServer.execute(fx.sourceDb, "SET GLOBAL time_zone = 'Europe/Berlin'");
        try {
            fx.source("CREATE TABLE dst (id INT PRIMARY KEY, note VARCHAR(20) NOT NULL, changed DATETIME(6) NOT NULL,"
                    + " INDEX (changed))",
                    "INSERT INTO dst VALUES (1, 'summer', '2026-10-25 01:30:00'), (2, 'summer', '2026-10-25 02:10:00')");
            Mapping m = TestConfig.edit(fx.mapping("dst", "dst")).withMode(Mode.TIMESTAMP, "changed").build();
            ChangeWindow window = fx.window(m.id());
            // 2026-10-25 03:00 CEST (01:00Z) is 02:00 CET: the hour 02:00-03:00 comes twice.
            window.pretendSourceTime = Optional.of(Instant.parse("2026-10-25T00:40:00Z")); // 02:40 CEST
            fx.runOk(m);
            fx.source("INSERT INTO dst VALUES (3, 'summer', '2026-10-25 02:50:00')");
            window.pretendSourceTime = Optional.of(Instant.parse("2026-10-25T00:55:00Z")); // 02:55 CEST
            fx.runOk(m);
            fx.source("INSERT INTO dst VALUES (4, 'repeated', '2026-10-25 02:05:00'),"
                    + " (5, 'repeated', '2026-10-25 02:15:00')");
            window.pretendSourceTime = Optional.of(Instant.parse("2026-10-25T01:20:00Z")); // 02:20 CET
            RunResult inRepeatedHour = fx.runOk(m);
            fx.source("INSERT INTO dst VALUES (6, 'winter', '2026-10-25 03:05:00')");
            window.pretendSourceTime = Optional.of(Instant.parse("2026-10-25T02:10:00Z")); // 03:10 CET
            fx.runOk(m);

            fx.assertSameRows("SELECT * FROM dst ORDER BY id");
            assertTrue(inRepeatedHour.trackingReason().contains("daylight saving"), inRepeatedHour.trackingReason());
        } finally {
            fx.sourceServer.execute(fx.sourceDb, "SET GLOBAL time_zone = 'SYSTEM'");
        }
    }
}
