package dev.tablesync.health;

import java.util.Map;

import dev.tablesync.testsupport.PackagedApp;

/** {@link TwoMappingsProfile} for the packaged application ({@code *IT}). */
public class TwoMappingsITProfile extends TwoMappingsProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return PackagedApp.managementOnTestPort(super.getConfigOverrides());
    }
}
