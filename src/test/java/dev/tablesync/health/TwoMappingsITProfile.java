package dev.tablesync.health;

import java.util.List;

import dev.tablesync.testsupport.PackagedApp;

/** {@link TwoMappingsProfile} for the packaged application ({@code *IT}). */
public class TwoMappingsITProfile extends TwoMappingsProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return PackagedApp.withFreeManagementPort(super.testResources());
    }
}
