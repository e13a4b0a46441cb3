package dev.tablesync.api;

import java.util.Map;

import dev.tablesync.testsupport.PackagedApp;

/** {@link ApiTestProfile} for the packaged application ({@code *IT}). */
public class ApiITProfile extends ApiTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return PackagedApp.managementOnTestPort(super.getConfigOverrides());
    }
}
