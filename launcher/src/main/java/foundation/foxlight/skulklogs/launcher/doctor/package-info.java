/**
 * {@code skulk-logs doctor}: every check of what commonly goes wrong on a node or the central host (agent not
 * running, Skulk not writing JSON, Kafka advertising an address nodes cannot reach, missing topic, relay or
 * VictoriaLogs down, inconsistent {@code skulk.env}, full disk buffer, clock skew), each answering with what is
 * wrong and the exact fix. {@link foundation.foxlight.skulklogs.launcher.doctor.Check} is one check,
 * {@link foundation.foxlight.skulklogs.launcher.doctor.Doctor} runs them in parallel under a deadline,
 * {@link foundation.foxlight.skulklogs.launcher.doctor.Checks} assembles the list from a
 * {@link foundation.foxlight.skulklogs.launcher.doctor.DoctorContext}.
 */
package foundation.foxlight.skulklogs.launcher.doctor;
