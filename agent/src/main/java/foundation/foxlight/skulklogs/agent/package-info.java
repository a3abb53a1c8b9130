/** skulk-logs agent. */
package foundation.foxlight.skulklogs.agent;
