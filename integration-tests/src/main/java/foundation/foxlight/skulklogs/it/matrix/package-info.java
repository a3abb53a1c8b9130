/**
 * The reliability matrix: {@link foundation.foxlight.skulklogs.it.matrix.DeliveryAccounting} turns the sequence
 * numbers a test wrote and what it found (store rows, dead-letter records, counted drops) into an exact account
 * (delivered once, duplicates, dead-lettered with reason, missing); {@link foundation.foxlight.skulklogs.it.matrix.ScenarioReport}
 * records one row per scenario (with the peak memory of each process, {@link foundation.foxlight.skulklogs.it.matrix.PeakMemory})
 * for the summary table printed at the end of the integration-test run.
 */
package foundation.foxlight.skulklogs.it.matrix;
