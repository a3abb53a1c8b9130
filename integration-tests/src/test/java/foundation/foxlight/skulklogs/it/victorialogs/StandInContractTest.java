package foundation.foxlight.skulklogs.it.victorialogs;

/** The VictoriaLogs contract against the in-process stand-in: always runs. */
class StandInContractTest extends AbstractVictoriaLogsContract {
    @Override
    protected VictoriaLogsEndpoint openEndpoint() {
        return VictoriaLogsEndpoint.startStandIn();
    }
}
