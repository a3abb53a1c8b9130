package foundation.foxlight.skulklogs.agent.buffer;

/**
 * A consistent snapshot of a {@link DiskBuffer}'s state, for metrics and health checks. Counters
 * of skipped and truncated data count since {@link DiskBuffer#open(BufferConfig)}.
 *
 * @param bytesOnDisk bytes of all segment files (headers included); compared against maxBytes
 * @param unackedRecords records appended and neither acknowledged nor known lost
 * @param oldestUnackedAppendMillis append time of the oldest unacknowledged record, 0 if none; a
 *     growing age with a healthy-looking agent means nothing is shipped
 * @param corruptRecordsSkipped record ids lost to corruption (bad checksum, garbage framing);
 *     they count as acknowledged so the buffer never stalls behind them
 * @param tornTailsTruncated half-written tails cut from the last segment at open (crash or
 *     power loss while appending)
 * @param segments number of segment files
 * @param missingRecordsSkipped record ids that were expected but whose bytes are not on disk (a
 *     segment file removed by hand, records that never reached the disk before a power loss, or
 *     already-delivered records after falling back to an older checkpoint); counted as acknowledged
 * @param lastAppendedId the highest id handed out by append (0 if none ever)
 * @param durableId every id &lt;= it is known to be fsynced
 * @param ackedThroughId every id &lt;= it is acknowledged (or lost)
 * @param checkpointedAckedId the ackedThroughId persisted by the last checkpoint
 * @param invalidCheckpointsSkipped unreadable checkpoint files ignored at open (fell back to an
 *     older one or to "nothing acknowledged")
 * @param diskFull the last append was refused because the disk holding the buffer has no space left
 *     ({@link DiskFullException}); false again after the next successful append
 * @param diskFullRefusals appends refused for lack of disk space
 */
public record BufferStats(
    long bytesOnDisk,
    long unackedRecords,
    long oldestUnackedAppendMillis,
    long corruptRecordsSkipped,
    long tornTailsTruncated,
    int segments,
    long missingRecordsSkipped,
    long lastAppendedId,
    long durableId,
    long ackedThroughId,
    long checkpointedAckedId,
    int invalidCheckpointsSkipped,
    boolean diskFull,
    long diskFullRefusals) {}
