/** Test harness: VictoriaLogs endpoints, processes, fault injection. */
package foundation.foxlight.skulklogs.it;
