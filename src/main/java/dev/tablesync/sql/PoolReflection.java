package dev.tablesync.sql;

import java.sql.ResultSet;
import java.sql.Statement;

import io.agroal.pool.ConnectionHandler;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What Agroal's pool reaches by reflection when {@link DataSources} builds it at run time, for the
 * native executable: its copy-on-write lists make their arrays with {@code Array.newInstance(type, 0)}
 * ({@code ConnectionHandler[]} for every pool, {@code Statement[]} and {@code ResultSet[]} for the
 * statements and results a connection tracks), which a native image can only do for registered
 * array classes.
 * <p>
 * Quarkus' Agroal extension registers exactly these classes, but only in the build step that also
 * creates its datasource beans, and that step returns early ("no JDBC datasources have been
 * defined") when no {@code quarkus.datasource.*} is configured at build time. tablesync configures
 * none on purpose: its pools come from {@code tablesync.connections.*}, read at run time, so one
 * executable serves any topology. The MySQL driver itself is registered by quarkus-jdbc-mysql, which
 * does so whether or not a datasource is defined.
 */
@RegisterForReflection(targets = { ConnectionHandler[].class, ConnectionHandler.class, Statement[].class,
        Statement.class, ResultSet[].class, ResultSet.class }, methods = false, fields = false)
final class PoolReflection {

    private PoolReflection() {
    }
}
