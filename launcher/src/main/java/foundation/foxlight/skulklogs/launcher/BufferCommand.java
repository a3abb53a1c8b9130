package foundation.foxlight.skulklogs.launcher;

import foundation.foxlight.skulklogs.agent.buffer.BufferInspector;
import foundation.foxlight.skulklogs.schema.BatchCodec;
import foundation.foxlight.skulklogs.schema.BatchFormatException;
import foundation.foxlight.skulklogs.schema.EventBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code skulk-logs buffer check|dump DIR}: read-only inspection of an agent disk buffer. */
@Command(name = "buffer", mixinStandardHelpOptions = true, description = "Verify or print an agent disk buffer (read-only).",
        subcommands = {BufferCommand.Check.class, BufferCommand.Dump.class})
final class BufferCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Verify every segment and checkpoint; exit 1 if anything is corrupt.")
    static final class Check implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "The buffer directory (e.g. ~/.skulk/skulk-logs/buffer).")
        Path dir;

        @Override
        public Integer call() throws Exception {
            if (!Files.isDirectory(dir)) {
                System.err.println(dir + ": no such buffer directory");
                return 2;
            }
            BufferInspector.CheckReport report = BufferInspector.check(dir);
            System.out.print(report.render());
            return report.ok() ? 0 : 1;
        }
    }

    @Command(name = "dump", mixinStandardHelpOptions = true, description = "Print one line per record: id, time, size, state, content summary.")
    static final class Dump implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "The buffer directory.")
        Path dir;

        @Override
        public Integer call() throws Exception {
            if (!Files.isDirectory(dir)) {
                System.err.println(dir + ": no such buffer directory");
                return 2;
            }
            BufferInspector.dump(dir, System.out, BufferCommand::describe);
            return 0;
        }
    }

    static String describe(byte[] payload) {
        try {
            EventBatch b = BatchCodec.decode(payload);
            return b.events().size() + " lines from " + b.nodeId() + " " + b.source() + " @" + b.sequence();
        } catch (BatchFormatException e) {
            return "undecodable: " + e.getMessage();
        }
    }
}
