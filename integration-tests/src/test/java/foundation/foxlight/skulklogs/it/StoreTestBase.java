package foundation.foxlight.skulklogs.it;

import foundation.foxlight.skulklogs.it.victorialogs.VictoriaLogsEndpoint;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each test gets a temp directory and a VictoriaLogs ({@link VictoriaLogsEndpoint#start()}: {@code $VICTORIALOGS_URL},
 * a container, or the stand-in). The store starts before a subclass's {@code @BeforeEach} and stops after its
 * {@code @AfterEach} (JUnit's order for inherited callbacks), so what writes into it is stopped first.
 */
abstract class StoreTestBase {
    @TempDir
    Path dir;
    VictoriaLogsEndpoint store;

    @BeforeEach
    void startStore() {
        store = VictoriaLogsEndpoint.start();
    }

    @AfterEach
    void stopStore() throws Exception {
        TearDown.closeInOrder(store);
    }
}
