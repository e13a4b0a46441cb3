package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import dev.tablesync.checkpoint.CheckpointStore;
import dev.tablesync.checkpoint.RunRecord;
import dev.tablesync.config.Mapping;
import dev.tablesync.sql.DataSources;

/**
 * Operator actions on a mapping's state in its target server: pause and resume (seen by every
 * replica), reset the checkpoint (under the mapping's lock, never beside a run), run history.
 */
final class MappingControl {

    private final DataSources dataSources;
    private final String stateSchema;

    MappingControl(DataSources dataSources, String stateSchema) {
        this.dataSources = dataSources;
        this.stateSchema = stateSchema;
    }

    /** @throws MappingException naming the target when it failed */
    void setPaused(Mapping mapping, boolean paused, String by, Instant now) {
        try (Connection target = dataSources.connect(mapping.targetConnection())) {
            store(mapping, target).setPaused(target, mapping.id(), paused, now, by);
        } catch (SQLException e) {
            throw new MappingException("mapping " + mapping.id() + ": cannot " + (paused ? "pause" : "resume")
                    + " it, target " + mapping.targetConnection() + " failed: " + e.getMessage(), e);
        }
    }

    boolean isPaused(Mapping mapping) throws SQLException {
        try (Connection target = dataSources.connect(mapping.targetConnection())) {
            return store(mapping, target).isPaused(target, mapping.id());
        }
    }

    /**
     * Deletes the checkpoint, so the next run copies the table again.
     *
     * @throws MappingException naming the target when it failed
     */
    void reset(Mapping mapping) {
        try {
            new LockedRun(mapping, dataSources, stateSchema)
                    .run(target -> store(mapping, target).delete(target, mapping.id())).rethrow();
        } catch (SQLException e) {
            throw new MappingException("mapping " + mapping.id() + ": cannot reset the checkpoint on target "
                    + mapping.targetConnection() + ": " + e.getMessage(), e);
        }
    }

    /** @throws MappingException naming the target when it failed */
    List<RunRecord> history(Mapping mapping, int limit, int offset) {
        try (Connection target = dataSources.connect(mapping.targetConnection())) {
            return store(mapping, target).runs(target, mapping.id(), limit, offset);
        } catch (SQLException e) {
            throw new MappingException("mapping " + mapping.id() + ": cannot read the run history on target "
                    + mapping.targetConnection() + ": " + e.getMessage(), e);
        }
    }

    private CheckpointStore store(Mapping mapping, Connection target) throws SQLException {
        return CheckpointStore.on(dataSources, mapping.targetConnection(), target, stateSchema);
    }
}
