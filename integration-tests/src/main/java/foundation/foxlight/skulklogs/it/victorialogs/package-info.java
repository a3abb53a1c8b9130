/**
 * VictoriaLogs for integration tests: {@link foundation.foxlight.skulklogs.it.victorialogs.VictoriaLogsEndpoint}
 * (a real server, a pinned container, or the in-process stand-in) and
 * {@link foundation.foxlight.skulklogs.it.victorialogs.VictoriaLogsStandIn}, an HTTP server that mimics the
 * parts of VictoriaLogs v1.26 the pipeline talks to, including its silent drops, with fault injection.
 */
package foundation.foxlight.skulklogs.it.victorialogs;
