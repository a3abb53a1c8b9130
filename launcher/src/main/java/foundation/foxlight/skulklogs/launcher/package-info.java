/** skulk-logs launcher. */
package foundation.foxlight.skulklogs.launcher;
