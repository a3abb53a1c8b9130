package foundation.foxlight.skulklogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import foundation.foxlight.skulklogs.agent.buffer.BufferConfig;
import foundation.foxlight.skulklogs.agent.buffer.DiskBuffer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: bad configuration is reported all at once, with key paths, and the command exits 2. */
class CommandLineTest {
    @TempDir
    Path dir;

    private record Run(int code, String err) {
    }

    private static Run run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Run(SkulkLogs.run(args), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void agentWithBadConfigurationReportsEveryProblemAndExits2() throws Exception {
        Path config = dir.resolve("agent.yaml");
        Files.writeString(config, "buffer:\n  fsync: sometimes\n  max_bytes: huge\nkafka:\n  compression: brotli\nbogus_key: 1\n");
        Run r = run("agent", "--config", config.toString(), "--kafka", "no-port", "--state-dir", dir.toString(), "--env-file",
                dir.resolve("none.env").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("invalid configuration (5 problems)", "buffer.fsync:", "buffer.max_bytes:", "kafka.compression:",
                "kafka.bootstrap_servers:", "bogus_key: unknown key");
    }

    @Test
    void relayWithBadUrlExits2() {
        Run r = run("relay", "--victorialogs-url", "ftp://nowhere", "--env-file", dir.resolve("none.env").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("victorialogs.url");
    }

    @Test
    void bufferCheckOnAMissingDirectoryExits2() {
        Run r = run("buffer", "check", dir.resolve("missing").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no such buffer directory");
    }

    @Test
    void agentThatCannotCreateItsStateDirectorySaysSoInOneLineAndExits1() throws Exception {
        Path notADirectory = Files.createFile(dir.resolve("a-file"));
        Run r = run("agent", "--kafka", "127.0.0.1:1", "--node-id", "n", "--state-dir", notADirectory.resolve("state").toString(),
                "--http", "127.0.0.1:0", "--file", dir.resolve("skulk.log").toString(), "--env-file", dir.resolve("none.env").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("skulk-logs agent: cannot start the agent: " + notADirectory).doesNotContain("\tat ");
    }

    @Test
    void agentWhosePortIsTakenNamesItAndExits1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run r = run("agent", "--kafka", "127.0.0.1:1", "--node-id", "n", "--state-dir", dir.resolve("state").toString(),
                    "--http", "127.0.0.1:" + taken.getLocalPort(), "--file", dir.resolve("skulk.log").toString(),
                    "--env-file", dir.resolve("none.env").toString());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("skulk-logs agent: cannot start the agent: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + " (http.listen): ").doesNotContain("\tat ");
        }
        // What the failed start had opened is closed: the buffer's directory lock is free again
        DiskBuffer.open(BufferConfig.defaults(dir.resolve("state").resolve("buffer"))).close();
    }
}
