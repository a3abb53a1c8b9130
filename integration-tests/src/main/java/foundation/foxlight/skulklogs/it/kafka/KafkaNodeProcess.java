package foundation.foxlight.skulklogs.it.kafka;

import foundation.foxlight.skulklogs.it.pipeline.LauncherProcess;
import foundation.foxlight.skulklogs.launcher.kafka.KafkaNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A member of an {@link foundation.foxlight.skulklogs.launcher.kafka.EmbeddedKafkaCluster} run as its own OS process
 * ({@code skulk-logs broker --quorum-voters ...}), so that it can be killed for real (SIGKILL: no flush, no
 * controlled shutdown, no goodbye to the controllers) and started again as the same node on the same ports and data.
 */
public final class KafkaNodeProcess {
    private KafkaNodeProcess() {
    }

    /** Starts {@code node} as a {@code skulk-logs broker} process writing its output to {@code log}; it joins the cluster on its own. */
    public static LauncherProcess start(KafkaNode node, Path log) throws IOException {
        return LauncherProcess.start("broker", log, List.of("--data-dir", node.dataDir().toString(), "--port", String.valueOf(node.clientPort()),
                "--node-id", String.valueOf(node.nodeId()), "--controller-port", String.valueOf(node.controllerPort()),
                "--quorum-voters", node.quorumVoters(), "--cluster-id", node.clusterId()));
    }
}
