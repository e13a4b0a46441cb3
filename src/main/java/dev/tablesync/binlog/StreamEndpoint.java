package dev.tablesync.binlog;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;

import com.github.shyiko.mysql.binlog.network.SSLMode;

/**
 * Where and as whom a {@link SourceStream} reads a source's binlog.
 *
 * @param server  the source's identity ({@code BinlogDialect#serverIdentity()}): two connections that reach one
 *                server share one stream
 * @param sslMode as Connector/J's {@code sslMode}; {@code PREFERRED} uses TLS where the server offers it
 */
public record StreamEndpoint(String server, String host, int port, String user, String password, SSLMode sslMode,
        ClientServerId serverId) {

    public StreamEndpoint {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(sslMode, "sslMode");
        Objects.requireNonNull(serverId, "serverId");
    }

    /**
     * A plain connection to the same server as the same user, for what the stream asks besides the log (where it
     * ends, what was purged, the {@code server_id} claim). Not pooled: the claim's named lock lives with it.
     */
    Connection openControl() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("sslMode", sslMode.name());
        p.setProperty("connectTimeout", "10000");
        p.setProperty("tcpKeepAlive", "true");
        // Named, not looked up through DriverManager, whose driver list a native image fixes at build time.
        Connection c = new com.mysql.cj.jdbc.Driver().connect("jdbc:mysql://" + host + ":" + port + "/", p);
        if (c == null) {
            throw new SQLException("the MySQL driver did not accept the address of " + this);
        }
        return c;
    }

    /**
     * The same source under a {@code server_id} of the mapping's own, for a stream that catches up beside the
     * shared one: a source keeps one dump thread per id.
     */
    StreamEndpoint forCatchUp(String mappingId) {
        return new StreamEndpoint(server, host, port, user, password, sslMode,
                ClientServerId.derivedFrom(serverId + "/catch-up/" + mappingId));
    }

    @Override
    public String toString() {
        return host + ":" + port + " (" + server + ")"; // never the password
    }
}
