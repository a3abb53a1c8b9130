package foundation.foxlight.skulklogs.it.victorialogs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The VictoriaLogs contract against a real VictoriaLogs in a container of the pinned image
 * ({@value VictoriaLogsEndpoint#IMAGE}). Skipped, with the reason in the report, where no Docker engine is reachable.
 */
class VictoriaLogsContainerTest extends AbstractVictoriaLogsContract {
    @Override
    protected VictoriaLogsEndpoint openEndpoint() {
        assumeTrue(VictoriaLogsEndpoint.isDockerAvailable(),
                () -> "skipped: " + VictoriaLogsEndpoint.dockerUnavailableReason() + "; the same contract runs against the stand-in "
                        + "(StandInContractTest) and, when $" + VictoriaLogsEndpoint.URL_ENV + " is set, a running server (RealUrlContractTest)");
        return VictoriaLogsEndpoint.startContainer();
    }
}
