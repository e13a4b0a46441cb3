package dev.tablesync.testsupport;

/**
 * The source and target servers produced by one backend, plus how to release them.
 *
 * @param backend  human-readable backend name for {@link TestServers#describe()}, e.g. "local mariadbd"
 * @param shutdown releases whatever the backend started (processes, containers, temp dirs); must not throw
 */
record ServerPair(String backend, JdbcTestServer source, JdbcTestServer target, Runnable shutdown) {
}
