package dev.tablesync.health;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import dev.tablesync.sql.FailureReason;
import dev.tablesync.sync.MappingStatus;
import dev.tablesync.sync.RunResult;
import dev.tablesync.verify.VerifyReport;

/**
 * The health of one mapping, from the engine's in-memory status (no database access).
 *
 * <p>DOWN when
 * <ul>
 * <li>the checkpoint lag exceeds the mapping's {@code max-lag} (paused or not: the target is
 * further behind than the operator accepts), or</li>
 * <li>the last run stopped on schema drift (a column dropped or retyped on the source): nothing
 * moves until someone aligns the target, however small the lag is yet, or</li>
 * <li>runs are failing and this process has never seen how far the target is complete (no lag is
 * known: e.g. the source table is missing since start-up). Once a lag is known, failures turn the
 * mapping DOWN only when the lag passes {@code max-lag}, so a short blip is no alarm.</li>
 * </ul>
 * UP otherwise, including before the first run and for disabled mappings. The last verify's
 * differences ({@code verifyMismatchedRows}, {@code verifyUnrepairedRows}) and the rows parked
 * by conflict policy park ({@code parkedConflicts}) are shown as data.
 */
final class MappingHealthCheck implements HealthCheck {

    /** Name of the check for mapping {@code id} in health output. */
    static String name(String id) {
        return "mapping-" + id;
    }

    private final Supplier<MappingStatus> status;
    private final Supplier<Optional<VerifyReport>> lastVerify;
    private final Supplier<OptionalLong> parked;

    MappingHealthCheck(Supplier<MappingStatus> status, Supplier<Optional<VerifyReport>> lastVerify,
            Supplier<OptionalLong> parked) {
        this.status = status;
        this.lastVerify = lastVerify;
        this.parked = parked;
    }

    @Override
    public HealthCheckResponse call() {
        return describe(status.get(), lastVerify.get(), parked.get());
    }

    static HealthCheckResponse describe(MappingStatus s) {
        return describe(s, Optional.empty(), OptionalLong.empty());
    }

    /**
     * With the last verify as data, not as a status: its differences may be rows changed since the
     * last sync, which the next sync copies, so they are no reason for DOWN by themselves. An alert
     * belongs on {@code tablesync_verify_unrepaired_rows}. So are the rows parked by conflict policy
     * park ({@code parkedConflicts}): every other row goes on syncing; an alert belongs on
     * {@code tablesync_conflicts_parked}.
     */
    static HealthCheckResponse describe(MappingStatus s, Optional<VerifyReport> verify, OptionalLong parked) {
        String problem = problem(s);
        HealthCheckResponseBuilder response = HealthCheckResponse.named(name(s.mapping().id())).status(problem == null)
                .withData("enabled", s.mapping().enabled())
                .withData("paused", s.paused())
                .withData("running", s.running())
                .withData("consecutiveFailures", s.consecutiveFailures())
                .withData("maxLagSeconds", s.mapping().maxLag().toSeconds());
        s.lag().ifPresent(lag -> response.withData("lagSeconds", lag.toSeconds()));
        s.lastSuccess().ifPresent(t -> response.withData("lastSuccess", t.toString()));
        s.lastError().ifPresent(e -> response.withData("lastError", SafeText.of(e)));
        s.lastErrorCategory().ifPresent(c -> response.withData("lastErrorCategory", c.label()));
        s.trackingReason().filter(r -> r.contains(RunResult.WARNING))
                .ifPresent(r -> response.withData("trackingWarning",
                        r.substring(r.indexOf(RunResult.WARNING) + RunResult.WARNING.length())));
        verify.ifPresent(v -> response.withData("lastVerify", v.startedAt().plus(v.duration()).toString())
                .withData("verifyMismatchedRows", v.mismatches()).withData("verifyUnrepairedRows", v.unrepaired()));
        parked.ifPresent(n -> response.withData("parkedConflicts", n));
        if (problem != null) {
            response.withData("reason", problem);
        }
        return response.build();
    }

    /** Why the mapping is DOWN, or null when it is UP. */
    private static String problem(MappingStatus s) {
        if (s.lastErrorCategory().filter(FailureReason.SCHEMA_DRIFT::equals).isPresent()) {
            return "the source schema changed and the mapping is stopped until the target is aligned: "
                    + SafeText.of(s.lastError().orElse(""));
        }
        if (s.lagging()) {
            return "checkpoint lag " + s.lag().orElseThrow().toSeconds() + "s exceeds max-lag "
                    + s.mapping().maxLag().toSeconds() + "s";
        }
        if (s.consecutiveFailures() > 0 && s.lag().isEmpty()) {
            return s.consecutiveFailures() + (s.consecutiveFailures() == 1 ? " failed run" : " failed runs")
                    + " and no successful one since start-up";
        }
        return null;
    }
}
