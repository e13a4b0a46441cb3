package dev.tablesync.testsupport;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.tablesync.config.ConflictPolicy;
import dev.tablesync.config.DeleteMode;
import dev.tablesync.config.Mapping;
import dev.tablesync.config.OnBinlogGap;
import dev.tablesync.config.OnTargetLoss;
import dev.tablesync.config.Schedule;
import dev.tablesync.config.TablesyncConfig;
import dev.tablesync.schema.Mode;
import dev.tablesync.schema.TableId;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The {@code tablesync.*} configuration mapping built from plain properties, outside Quarkus; and
 * validated {@link Mapping}s built directly, with the defaults of {@link TablesyncConfig.MappingConfig}.
 */
public final class TestConfig {

    private TestConfig() {
    }

    public static TablesyncConfig of(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(TablesyncConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build()
                .getConfigMapping(TablesyncConfig.class);
    }

    /** A mapping with the documented defaults; tables as {@code schema.table} or {@code table}. */
    public static Mapping mapping(String id, String source, String sourceTable, String target, String targetTable) {
        return new MappingBuilder(id, source, TableId.parse(sourceTable), target, TableId.parse(targetTable)).build();
    }

    /** A copy of {@code m} to change some settings of. */
    public static MappingBuilder edit(Mapping m) {
        return new MappingBuilder(m);
    }

    /** Builds a {@link Mapping}; each {@code with} method changes one setting. */
    public static final class MappingBuilder {
        private final String id;
        private final String sourceConnection;
        private final TableId sourceTable;
        private final String targetConnection;
        private final TableId targetTable;
        private Mode mode = Mode.AUTO;
        private Optional<String> trackingColumn = Optional.empty();
        private int batchSize = 1000;
        private ConflictPolicy conflict = ConflictPolicy.OVERWRITE;
        private Duration commitDelay = Duration.ofSeconds(5);
        private Schedule schedule = Schedule.parse("30s");
        private Duration maxLag = Duration.ofMinutes(15);
        private boolean enabled = true;
        private Optional<String> softDeleteColumn = Optional.empty();
        private DeleteMode deleteMode = DeleteMode.COPY;
        private int bulkBatchSize = 10_000;
        private OnTargetLoss onTargetLoss = OnTargetLoss.RESNAPSHOT;
        private Optional<Schedule> verifySchedule = Optional.empty();
        private boolean verifyRepair;
        private int maxParked = 10_000;
        private OnBinlogGap onBinlogGap = OnBinlogGap.FAIL;

        private MappingBuilder(String id, String source, TableId sourceTable, String target, TableId targetTable) {
            this.id = id;
            this.sourceConnection = source;
            this.sourceTable = sourceTable;
            this.targetConnection = target;
            this.targetTable = targetTable;
        }

        private MappingBuilder(Mapping m) {
            this(m.id(), m.sourceConnection(), m.sourceTable(), m.targetConnection(), m.targetTable());
            mode = m.mode();
            trackingColumn = m.trackingColumn();
            batchSize = m.batchSize();
            conflict = m.conflict();
            commitDelay = m.commitDelay();
            schedule = m.schedule();
            maxLag = m.maxLag();
            enabled = m.enabled();
            softDeleteColumn = m.softDeleteColumn();
            deleteMode = m.deleteMode();
            bulkBatchSize = m.bulkBatchSize();
            onTargetLoss = m.onTargetLoss();
            verifySchedule = m.verifySchedule();
            verifyRepair = m.verifyRepair();
            maxParked = m.maxParked();
            onBinlogGap = m.onBinlogGap();
        }

        /** @param column the tracking column, null to detect it */
        public MappingBuilder withMode(Mode newMode, String column) {
            mode = newMode;
            trackingColumn = Optional.ofNullable(column);
            return this;
        }

        public MappingBuilder withBatchSize(int size) {
            batchSize = size;
            return this;
        }

        public MappingBuilder withBulkBatchSize(int size) {
            bulkBatchSize = size;
            return this;
        }

        public MappingBuilder withMaxParked(int max) {
            maxParked = max;
            return this;
        }

        public MappingBuilder withConflict(ConflictPolicy policy) {
            conflict = policy;
            return this;
        }

        public MappingBuilder withSchedule(String when) {
            schedule = Schedule.parse(when);
            return this;
        }

        public MappingBuilder withMaxLag(Duration lag) {
            maxLag = lag;
            return this;
        }

        public MappingBuilder withCommitDelay(Duration delay) {
            commitDelay = delay;
            return this;
        }

        public MappingBuilder withEnabled(boolean on) {
            enabled = on;
            return this;
        }

        public MappingBuilder withDeletes(Optional<String> column, DeleteMode newMode) {
            softDeleteColumn = column;
            deleteMode = newMode;
            return this;
        }

        public MappingBuilder withOnTargetLoss(OnTargetLoss onLoss) {
            onTargetLoss = onLoss;
            return this;
        }

        public MappingBuilder withVerify(String when, boolean repair) {
            verifySchedule = Optional.of(Schedule.parse(when));
            verifyRepair = repair;
            return this;
        }

        public MappingBuilder withOnBinlogGap(OnBinlogGap onGap) {
            onBinlogGap = onGap;
            return this;
        }

        public Mapping build() {
            return new Mapping(id, sourceConnection, sourceTable, targetConnection, targetTable, mode, trackingColumn,
                    batchSize, conflict, commitDelay, schedule, maxLag, enabled, softDeleteColumn, deleteMode,
                    bulkBatchSize, onTargetLoss, verifySchedule, verifyRepair, maxParked, onBinlogGap);
        }
    }
}
