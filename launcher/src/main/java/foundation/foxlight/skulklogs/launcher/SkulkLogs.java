package foundation.foxlight.skulklogs.launcher;

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
        return new CommandLine(new SkulkLogs()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
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
