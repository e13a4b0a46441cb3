package dev.tablesync.console;

import java.util.List;

import dev.tablesync.testsupport.PackagedApp;

/** {@link ConsoleTestProfile} for the packaged application ({@code *IT}). */
public class ConsoleITProfile extends ConsoleTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return PackagedApp.withFreeManagementPort(super.testResources());
    }
}
