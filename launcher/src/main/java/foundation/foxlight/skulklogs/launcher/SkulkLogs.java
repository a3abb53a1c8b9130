package foundation.foxlight.skulklogs.launcher;

import java.io.IOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code skulk-logs} command. */
@Command(name = "skulk-logs", mixinStandardHelpOptions = true, versionProvider = SkulkLogs.Version.class,
        description = "Ships every Skulk log line to VictoriaLogs through Kafka, losing none.",
        subcommands = {StandaloneCommand.class, AgentCommand.class, RelayCommand.class, BrokerCommand.class, BufferCommand.class,
                DoctorCommand.class,
                CommandLine.HelpCommand.class})
public final class SkulkLogs {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return new CommandLine(new SkulkLogs()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(SkulkLogs::failed).execute(args);
    }

    /**
     * A service that cannot start because of its environment (a read-only or full disk, a port in use, a directory
     * locked by another process: an I/O error) says so in one line; anything else is a bug and keeps its stack trace.
     */
    private static int failed(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        if (e instanceof ServiceLifecycle.StartFailedException && e.getCause() instanceof IOException) {
            command.getErr().println("skulk-logs " + command.getCommandName() + ": " + e.getMessage());
        } else {
            e.printStackTrace(command.getErr());
        }
        command.getErr().flush();
        return 1;
    }

    /** The version from the jar manifest. */
    public static String version() {
        String v = SkulkLogs.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"skulk-logs " + version()};
        }
    }
}
