package dev.tablesync.sql;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What Connector/J instantiates by class name ({@code Util.getInstance}) with the properties
 * {@link DataSources} sets, for the native executable. quarkus-jdbc-mysql registers the driver, its
 * socket factories, logger and exceptions, but not the factories behind optional properties: with
 * {@code cachePrepStmts=true} every connection makes its statement cache from
 * {@code parseInfoCacheFactory} (default {@code com.mysql.cj.PerConnectionLRUFactory}); without this
 * registration every connection of the native executable fails with "Failed loading the class
 * 'com.mysql.cj.PerConnectionLRUFactory'". The server-configuration cache and the client-info
 * provider are the driver's other by-name defaults, reached by the JDBC API (not by tablesync today).
 */
@RegisterForReflection(classNames = { "com.mysql.cj.PerConnectionLRUFactory",
        "com.mysql.cj.util.PerVmServerConfigCacheFactory", "com.mysql.cj.jdbc.CommentClientInfoProvider" },
        fields = false)
final class DriverReflection {

    private DriverReflection() {
    }
}
