package foundation.foxlight.skulklogs.it;

import foundation.foxlight.skulklogs.it.pipeline.InProcessPipeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Each test gets a VictoriaLogs and a temp directory ({@link StoreTestBase}) and a real in-process Kafka broker with
 * its state in that directory; both are stopped after it, the broker first.
 */
abstract class PipelineTestBase extends StoreTestBase {
    InProcessPipeline pipeline;

    @BeforeEach
    void startBroker() throws Exception {
        pipeline = InProcessPipeline.startBroker(dir);
    }

    @AfterEach
    void stopPipeline() throws Exception {
        TearDown.closeInOrder(pipeline);
    }
}
