package dev.tablesync.api;

import java.util.List;

import dev.tablesync.testsupport.PackagedApp;

/** {@link ApiTestProfile} for the packaged application ({@code *IT}). */
public class ApiITProfile extends ApiTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return PackagedApp.withFreeManagementPort(super.testResources());
    }
}
