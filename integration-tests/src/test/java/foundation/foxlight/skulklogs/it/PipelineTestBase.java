package foundation.foxlight.skulklogs.it;

import foundation.foxlight.skulklogs.it.pipeline.InProcessPipeline;
import foundation.foxlight.skulklogs.it.victorialogs.VictoriaLogsEndpoint;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each test gets a VictoriaLogs ({@link VictoriaLogsEndpoint#start()}: {@code $VICTORIALOGS_URL}, a container, or
 * the stand-in) and a real in-process Kafka broker with its state in a temp directory; both are stopped after it.
 */
abstract class PipelineTestBase {
    @TempDir
    Path dir;
    VictoriaLogsEndpoint store;
    InProcessPipeline pipeline;

    @BeforeEach
    void startStoreAndBroker() throws Exception {
        store = VictoriaLogsEndpoint.start();
        pipeline = InProcessPipeline.startBroker(dir);
    }

    @AfterEach
    void stopPipelineAndStore() throws Exception {
        try {
            if (pipeline != null) {
                pipeline.close();
            }
        } finally {
            if (store != null) {
                store.close();
            }
        }
    }
}
