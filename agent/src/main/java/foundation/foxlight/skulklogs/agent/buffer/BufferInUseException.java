package foundation.foxlight.skulklogs.agent.buffer;

import java.io.IOException;

/** The buffer directory is locked by another open buffer, in this process or another (an agent with the same state directory). */
public final class BufferInUseException extends IOException {
    private static final long serialVersionUID = 1L;

    BufferInUseException(String message) {
        super(message);
    }
}
