package dev.tablesync.binlog;

import java.util.Objects;

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

    @Override
    public String toString() {
        return host + ":" + port + " (" + server + ")"; // never the password
    }
}
