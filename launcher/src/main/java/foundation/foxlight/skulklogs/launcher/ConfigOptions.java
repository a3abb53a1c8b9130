package foundation.foxlight.skulklogs.launcher;

import foundation.foxlight.skulklogs.common.config.ConfigReader;
import foundation.foxlight.skulklogs.common.config.EnvFile;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** Options every service command shares: the YAML config file and the env file layered under the environment. */
final class ConfigOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML configuration file (optional; flags win over it).")
    Path config;

    @Option(names = "--env-file", paramLabel = "FILE", description = "Env file read under the environment (default: ~/.skulk/skulk.env).")
    Path envFile;

    /** The env file: {@code --env-file}, else {@code ~/.skulk/skulk.env}. */
    Path envFilePath() {
        return envFile != null ? envFile : Path.of(System.getProperty("user.home"), ".skulk", "skulk.env");
    }

    Function<String, String> env() {
        return EnvFile.layered(System.getenv(), envFilePath());
    }

    ConfigReader reader() {
        return config == null ? ConfigReader.empty() : ConfigReader.load(config, env());
    }
}
