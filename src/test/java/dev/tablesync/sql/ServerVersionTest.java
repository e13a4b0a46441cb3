package dev.tablesync.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerVersionTest {

    @Test
    void shouldDropMariaDbReplicationPrefixAndSuffixes() {
        assertEquals(ServerVersion.mariadb(10, 11, 19), ServerVersion.parse("5.5.5-10.11.19-MariaDB-0+deb12u1-log"));
    }

    @Test
    void shouldParsePlainMariaDbVersion() {
        assertEquals(ServerVersion.mariadb(10, 11, 19), ServerVersion.parse("10.11.19-MariaDB"));
    }

    @Test
    void shouldParseMySqlVersion() {
        assertEquals(ServerVersion.mysql(8, 4, 2), ServerVersion.parse("8.4.2"));
    }

    @Test
    void shouldIgnoreMySqlEditionSuffix() {
        assertEquals(ServerVersion.mysql(8, 0, 36), ServerVersion.parse("8.0.36-commercial"));
    }

    @Test
    void shouldRefuseTextWithoutVersionNumbers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerVersion.parse("garbage"));
        assertEquals("cannot read a server version from 'garbage'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServerVersion.parse("8.4"));
    }

    @Test
    void shouldCompareVersionsComponentByComponent() {
        ServerVersion v = ServerVersion.mysql(8, 0, 19);
        assertTrue(v.atLeast(8, 0, 19));
        assertTrue(v.atLeast(7, 9, 99));
        assertFalse(v.atLeast(8, 0, 20));
        assertFalse(v.atLeast(8, 1, 0));
    }

    @Test
    void shouldUseRowAliasOnlyOnMySqlFrom8019() {
        assertFalse(new Dialect(ServerVersion.mysql(8, 0, 18)).usesRowAlias());
        assertTrue(new Dialect(ServerVersion.mysql(8, 0, 19)).usesRowAlias());
        assertTrue(new Dialect(ServerVersion.mysql(8, 4, 2)).usesRowAlias());
        assertFalse(new Dialect(ServerVersion.mariadb(11, 8, 2)).usesRowAlias());
    }

    @Test
    void shouldDescribeFlavorAndVersion() {
        assertEquals("MariaDB 10.11.19", ServerVersion.mariadb(10, 11, 19).toString());
        assertEquals("MySQL 8.4.2", ServerVersion.mysql(8, 4, 2).toString());
    }
}
