package foundation.foxlight.skulklogs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import foundation.foxlight.skulklogs.agent.buffer.BufferConfig;
import foundation.foxlight.skulklogs.agent.buffer.BufferRecord;
import foundation.foxlight.skulklogs.agent.buffer.DiskBuffer;
import foundation.foxlight.skulklogs.agent.buffer.DiskFullException;
import foundation.foxlight.skulklogs.agent.buffer.FsyncPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's disk buffer on a disk that really fills up (a 2 MiB tmpfs), with the default caps (512 MiB buffer,
 * 64 MiB segments) far above what the disk holds — a laptop whose disk is nearly full. What Kafka acknowledged is
 * given back so that shipping goes on; what it did not is kept, and appends are refused with
 * {@link DiskFullException} (never a plain I/O error) until space is freed.
 */
class DiskBufferDiskFullTest {
    private static final long DISK = 2L * 1024 * 1024;
    private static final int RECORD = 8 * 1024;

    @TempDir
    Path dir;
    private Tmpfs tmpfs;

    @BeforeEach
    void mount() throws Exception {
        tmpfs = Tmpfs.mount(dir.resolve("disk"), DISK);
    }

    @AfterEach
    void unmount() throws Exception {
        if (tmpfs != null) {
            tmpfs.close();
        }
    }

    private DiskBuffer open() throws Exception {
        return DiskBuffer.open(new BufferConfig(tmpfs.path().resolve("buffer"), BufferConfig.DEFAULT_MAX_BYTES,
                BufferConfig.DEFAULT_SEGMENT_BYTES, FsyncPolicy.defaultPolicy()));
    }

    private static byte[] record(long n) {
        byte[] b = new byte[RECORD];
        Arrays.fill(b, (byte) ('a' + n % 26));
        return b;
    }

    /** Reads and acknowledges everything appended, as the Kafka sink does once Kafka acknowledged it. */
    private static int shipAll(DiskBuffer buffer) throws Exception {
        int n = 0;
        for (List<BufferRecord> batch; !(batch = buffer.read(64, Long.MAX_VALUE)).isEmpty(); ) {
            for (BufferRecord r : batch) {
                buffer.ack(r.id());
                n++;
            }
        }
        return n;
    }

    @Test
    void whatKafkaAcknowledgedIsGivenBack_soTenTimesTheDiskFlowsThrough() throws Exception {
        long appended = 0;
        long shipped = 0;
        try (DiskBuffer buffer = open()) {
            for (; appended < 10 * DISK / RECORD; appended++) {
                buffer.append(record(appended));
                shipped += shipAll(buffer);
            }
            assertThat(buffer.stats().diskFullRefusals()).isZero();
            assertThat(buffer.stats().bytesOnDisk()).isLessThan(DISK);
        }
        assertThat(shipped).isEqualTo(appended);
        try (DiskBuffer reopened = open()) { // nothing given back is counted as lost, ids go on
            assertThat(reopened.stats().missingRecordsSkipped()).isZero();
            assertThat(reopened.stats().corruptRecordsSkipped()).isZero();
            assertThat(reopened.append(record(0))).isEqualTo(appended + 1);
        }
    }

    @Test
    void whatKafkaDidNotAcknowledgeIsKept_appendsRefusedUntilThereIsSpace() throws Exception {
        List<byte[]> appended = new ArrayList<>();
        DiskBuffer buffer = open();
        try {
            DiskFullException refused = null;
            while (refused == null) {
                byte[] r = record(appended.size());
                try {
                    buffer.append(r);
                    appended.add(r);
                } catch (DiskFullException e) {
                    refused = e;
                }
            }
            assertThat(appended.size()).as("records that fitted").isBetween(100, (int) (DISK / RECORD));
            assertThat(refused.metricReason()).isEqualTo("disk_full");
            assertThat(refused.reason()).contains("disk holding the disk buffer is full", tmpfs.path().toString());
            assertThat(buffer.stats().diskFull()).isTrue();
            assertThat(buffer.stats().diskFullRefusals()).isEqualTo(1);
            // Refused again, for as long as nothing is acknowledged and nothing freed
            assertThatThrownBy(() -> buffer.append(record(0))).isInstanceOf(DiskFullException.class);

            // Kafka acknowledges the first half: still nothing to give back (the segment holds the rest)
            List<BufferRecord> half = buffer.read(appended.size() / 2, Long.MAX_VALUE);
            half.forEach(r -> buffer.ack(r.id()));
            assertThatThrownBy(() -> buffer.append(record(0))).isInstanceOf(DiskFullException.class);
        } finally {
            closeOnFullDisk(buffer);
        }
        // Across a restart on the full disk nothing was lost: the unacknowledged records are all there, in order
        List<BufferRecord> kept = new ArrayList<>();
        try (DiskBuffer reopened = open()) {
            for (List<BufferRecord> batch; !(batch = reopened.read(64, Long.MAX_VALUE)).isEmpty(); ) {
                kept.addAll(batch);
            }
            assertThat(kept).hasSizeGreaterThanOrEqualTo(appended.size() - appended.size() / 2);
            for (BufferRecord r : kept) {
                assertThat(r.payload()).isEqualTo(appended.get((int) r.id() - 1));
            }
            assertThat(kept.get(kept.size() - 1).id()).isEqualTo(appended.size());
            // Kafka acknowledges everything: the segment is given back and appends go on
            kept.forEach(r -> reopened.ack(r.id()));
            reopened.append(record(1));
            assertThat(reopened.stats().diskFull()).isFalse();
        }
    }

    /** On a full disk the final checkpoint may not fit: close releases everything all the same, and says why. */
    private static void closeOnFullDisk(DiskBuffer buffer) {
        try {
            buffer.close();
        } catch (IOException e) {
            assertThat(e).hasMessageContaining("No space left");
        }
    }

    @Test
    void aDiskFilledBySomethingElse_refusesUntilFreed() throws Exception {
        try (DiskBuffer buffer = open()) {
            buffer.append(record(0));
            tmpfs.fillLeaving(0);
            assertThatThrownBy(() -> {
                for (int i = 1; i < DISK / RECORD; i++) {
                    buffer.append(record(i));
                }
            }).isInstanceOf(DiskFullException.class);
            long appendedBefore = buffer.stats().lastAppendedId();
            tmpfs.free();
            assertThat(buffer.append(record(1))).isEqualTo(appendedBefore + 1);
            assertThat(buffer.stats().diskFull()).isFalse();
        }
    }
}
