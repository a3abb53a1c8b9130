/** skulk-logs relay. */
package foundation.foxlight.skulklogs.relay;
