/**
 * Bounded, blocking network probes for {@code skulk-logs doctor}: an HTTP GET, a TCP connect, a Kafka metadata
 * request. Each takes a timeout and answers with a value describing the failure rather than throwing.
 */
package foundation.foxlight.skulklogs.launcher.doctor.probe;
