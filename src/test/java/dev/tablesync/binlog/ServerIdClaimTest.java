package dev.tablesync.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.sql.BinlogDialect;
import dev.tablesync.sql.ServerVersion;
import dev.tablesync.testsupport.TestServer;
import dev.tablesync.testsupport.TestServers;

class ServerIdClaimTest {

    static TestServer source;
    static BinlogDialect dialect;

    @BeforeAll
    static void setUp() {
        source = TestServers.get().source();
        dialect = new BinlogDialect(ServerVersion.parse(Queries.one(source, "SELECT VERSION()")));
    }

    @Test
    void shouldDeriveAStableIdPerHostNameInTheDocumentedRange() {
        ClientServerId a = ClientServerId.derivedFrom("tablesync-7d9f8c6b5-x2x4k");
        assertEquals(a, ClientServerId.derivedFrom("TABLESYNC-7d9f8c6b5-x2x4k "));
        assertNotEquals(a, ClientServerId.derivedFrom("tablesync-7d9f8c6b5-q8r2m"));
        for (int i = 0; i < 1000; i++) {
            long v = ClientServerId.derivedFrom("pod-" + i).value();
            assertTrue(v >= 3_000_000_000L && v < 4_000_000_000L, String.valueOf(v));
        }
    }

    @Test
    void shouldRefuseAnIdTheServersDoNotAccept() {
        assertThrows(IllegalArgumentException.class, () -> new ClientServerId(0));
        assertThrows(IllegalArgumentException.class, () -> new ClientServerId(4_294_967_296L));
        assertThrows(IllegalArgumentException.class, () -> ClientServerId.derivedFrom(" "));
    }

    @Test
    void shouldRefuseTheSourcesOwnServerId() throws SQLException {
        long own = Long.parseLong(Queries.one(source, "SELECT @@server_id"));
        Connection c = source.connect("");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ServerIdClaim.claim(c, dialect, new ClientServerId(own), "shop"));
        assertEquals("The binlog client's server_id " + own + " for source connection 'shop' is already used by the"
                + " source server itself (@@server_id); two clients with one id end each other's streams. Give this"
                + " process another id (tablesync.binlog.server-id, unique per pod; by default derived from the host"
                + " name).", e.getMessage());
        assertTrue(c.isClosed());
    }

    @Test
    void shouldRefuseAnIdAnotherProcessHoldsUntilItLetsGo() throws SQLException {
        ClientServerId id = new ClientServerId(3_123_456_789L);
        ServerIdClaim first = ServerIdClaim.claim(source.connect(""), dialect, id, "shop");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ServerIdClaim.claim(source.connect(""), dialect, id, "shop"));
        assertTrue(e.getMessage().contains("already used by another tablesync process streaming this source's binlog"),
                e.getMessage());
        first.close();
        try (ServerIdClaim again = ServerIdClaim.claim(source.connect(""), dialect, id, "shop")) {
            assertEquals(id, again.id());
        }
    }
}
