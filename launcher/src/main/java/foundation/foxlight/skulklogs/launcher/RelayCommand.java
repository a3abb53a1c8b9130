package foundation.foxlight.skulklogs.launcher;

import foundation.foxlight.skulklogs.common.config.ConfigException;
import foundation.foxlight.skulklogs.relay.Relay;
import foundation.foxlight.skulklogs.relay.config.RelayConfig;
import foundation.foxlight.skulklogs.relay.config.RelayConfigLoader;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code skulk-logs relay}: Kafka consumer group → VictoriaLogs. */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = "Consume the log topic and insert into VictoriaLogs, committing offsets only after delivery.")
final class RelayCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = {"-k", "--kafka"}, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (default: $SKULK_LOGS_KAFKA or 127.0.0.1:9092).")
    String kafka;

    @Option(names = "--victorialogs-url", paramLabel = "URL", description = "VictoriaLogs base URL (default http://127.0.0.1:9428).")
    String victoriaLogsUrl;

    @Option(names = "--http", paramLabel = "HOST:PORT", description = "/health and /metrics (default 127.0.0.1:8688; 'off' to disable).")
    String http;

    @Option(names = "--ingest", paramLabel = "HOST:PORT", description = "Also accept VictoriaLogs /insert/jsonline requests here and put them into Kafka (default off; beyond loopback it needs ingest.token).")
    String ingest;

    @Override
    public Integer call() throws Exception {
        RelayConfig config;
        try {
            config = RelayConfigLoader.load(options.reader().override("kafka.bootstrap_servers", kafka)
                    .override("victorialogs.url", victoriaLogsUrl).override("http.listen", http).override("ingest.listen", ingest),
                    options.env());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Vertx vertx = ServiceLifecycle.vertx();
        ServiceLifecycle.start(vertx, new Relay(config), "the relay");
        ServiceLifecycle.awaitShutdown(() -> vertx.close(), 30);
        return 0;
    }
}
