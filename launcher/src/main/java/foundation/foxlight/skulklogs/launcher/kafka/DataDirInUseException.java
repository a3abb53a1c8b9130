package foundation.foxlight.skulklogs.launcher.kafka;

import java.io.IOException;
import java.nio.file.Path;

/** An {@link EmbeddedKafkaBroker}'s data directory is locked by another process (or another node in this JVM). */
public final class DataDirInUseException extends IOException {
    private static final long serialVersionUID = 1L;

    DataDirInUseException(Path dataDir) {
        super(dataDir + " is in use by another process (another skulk-logs standalone or broker?)");
    }
}
