/**
 * The agent's durable disk buffer: a bounded, segmented, CRC-checked on-disk FIFO of opaque
 * records (encoded batches) between the sources and the Kafka sink.
 *
 * <p>Entry points: {@link foundation.foxlight.skulklogs.agent.buffer.DiskBuffer} (the queue),
 * {@link foundation.foxlight.skulklogs.agent.buffer.BufferConfig} and
 * {@link foundation.foxlight.skulklogs.agent.buffer.FsyncPolicy} (configuration) and
 * {@link foundation.foxlight.skulklogs.agent.buffer.BufferInspector} (offline, read-only
 * {@code buffer check|dump}).
 *
 * <p>Directory layout: {@code segment-<20-digit first id>.seg} files (format in
 * {@code RecordFormat}), {@code checkpoint-<20-digit sequence>.ckpt} files (the newest valid one
 * holds the persisted acknowledged prefix; the previous one is kept as fallback) and
 * {@code buffer.lock}. Plain blocking Java: call from worker threads, never from an event loop.
 */
package foundation.foxlight.skulklogs.agent.buffer;
