package foundation.foxlight.skulklogs.it.victorialogs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The VictoriaLogs contract against the running server named by {@code $VICTORIALOGS_URL}; skipped when it is unset.
 * Safe on a shared server: every test writes and reads under its own random tenant.
 */
class RealUrlContractTest extends AbstractVictoriaLogsContract {
    @Override
    protected VictoriaLogsEndpoint openEndpoint() {
        String url = System.getenv(VictoriaLogsEndpoint.URL_ENV);
        assumeTrue(url != null && !url.isBlank(),
                "skipped: $" + VictoriaLogsEndpoint.URL_ENV + " is not set (set it to a VictoriaLogs v1.26 base URL, "
                        + "e.g. http://127.0.0.1:9428, to run the contract against a real server)");
        return VictoriaLogsEndpoint.connect(url.trim());
    }
}
