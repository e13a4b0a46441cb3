package dev.tablesync.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Starts source and target as two local server processes (mariadbd, or mysqld from a Maven jar): the fastest
 * backend (seconds) and the only one that lets tests crash and restart a server.
 */
final class LocalBackend {

    private LocalBackend() {
    }

    /**
     * Installs and starts both servers in parallel; removes everything again if either fails. The two binaries
     * differ for a mixed pair (e.g. MariaDB source, MySQL target) and are the same object otherwise.
     */
    static ServerPair start(ServerBinaries sourceBinaries, ServerBinaries targetBinaries, String backendName) {
        int[] ports = freeLoopbackPorts(2);
        LocalServer source = LocalServer.create(sourceBinaries, ports[0], 1, true);
        LocalServer target = LocalServer.create(targetBinaries, ports[1], 2, false);
        Runnable shutdown = () -> InParallel.run(source::destroy, target::destroy);
        try {
            InParallel.run(source::installAndStart, target::installAndStart);
        } catch (RuntimeException e) {
            shutdown.run();
            throw e;
        }
        return new ServerPair(backendName, source, target, shutdown);
    }

    /**
     * Ports that were free a moment ago. All sockets stay open until every port is chosen, so the two servers
     * can never be handed the same port.
     */
    static int[] freeLoopbackPorts(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot find a free loopback port", e);
        } finally {
            closeAll(sockets);
        }
    }

    private static void closeAll(ServerSocket[] sockets) {
        for (ServerSocket socket : sockets) {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException e) {
                // Closing a listening socket we never used cannot lose anything.
            }
        }
    }
}
