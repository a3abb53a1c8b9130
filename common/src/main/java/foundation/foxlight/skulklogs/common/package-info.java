/** Shared delivery primitives, configuration and telemetry for the agent and the relay. */
package foundation.foxlight.skulklogs.common;
