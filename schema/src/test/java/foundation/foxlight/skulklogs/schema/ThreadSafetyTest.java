package foundation.foxlight.skulklogs.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The codecs are static and share one JsonFactory: concurrent use must give the single-threaded results. */
class ThreadSafetyTest {

    @Test
    void concurrentParseWriteEncodeAndDecodeAgreeWithSequentialResults() throws Exception {
        List<byte[]> lines = new ArrayList<>();
        TestEvents.SKULK_LINES.forEach(l -> lines.add(TestEvents.utf8(l)));
        lines.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'});
        lines.add(TestEvents.utf8("plain text"));
        lines.add(TestEvents.utf8("{\"deep\":" + "[".repeat(300) + "]".repeat(300) + "}"));
        List<LogEvent> expected = lines.stream().map(LogEventJson::parse).toList();
        EventBatch batch = new EventBatch("n", "s", 1, 2, expected);
        byte[] encoded = BatchCodec.encode(batch);

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Callable<Boolean> task = () -> {
                    for (int round = 0; round < 300; round++) {
                        for (int i = 0; i < lines.size(); i++) {
                            LogEvent e = LogEventJson.parse(lines.get(i));
                            if (!e.equals(expected.get(i))
                                    || !LogEventJson.parse(TestEvents.utf8(LogEventJson.toJson(e))).equals(e)) {
                                return false;
                            }
                        }
                        if (!BatchCodec.decode(encoded).equals(batch)) {
                            return false;
                        }
                    }
                    return true;
                };
                results.add(pool.submit(task));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get(60, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
