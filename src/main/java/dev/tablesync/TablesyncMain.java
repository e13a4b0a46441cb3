package dev.tablesync;

import jakarta.inject.Inject;

import dev.tablesync.config.Settings;
import dev.tablesync.sync.RunResult;
import dev.tablesync.sync.SyncEngine;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point. As a service it runs until stopped, the scheduler triggering each mapping. With
 * {@code tablesync.run-once=true} it syncs every enabled mapping once, prints one line per
 * mapping and exits 0 only if all succeeded.
 */
@QuarkusMain
public class TablesyncMain implements QuarkusApplication {

    @Inject
    Settings config;

    @Inject
    SyncEngine engine;

    public static void main(String... args) {
        Quarkus.run(TablesyncMain.class, args);
    }

    @Override
    public int run(String... args) {
        if (!config.runOnce()) {
            Quarkus.waitForExit();
            return 0;
        }
        boolean allSucceeded = true;
        for (RunResult result : engine.runAllOnce()) {
            System.out.println(result.summary());
            allSucceeded &= result.succeeded();
        }
        return allSucceeded ? 0 : 1;
    }
}
