package foundation.foxlight.skulklogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import foundation.foxlight.skulklogs.agent.config.AgentConfigLoader;
import foundation.foxlight.skulklogs.common.config.ConfigReader;
import foundation.foxlight.skulklogs.relay.config.RelayConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/configuration.md documents every key the agent and relay read, and no key they do not read. */
class ConfigDocsTest {
    private static final Path DOC = Path.of("..", "docs", "configuration.md");

    private static String doc() throws Exception {
        return Files.readString(DOC);
    }

    /** Keys in the first column of the doc's tables, with the {@code a.b, .c} shorthand expanded. */
    private static List<String> documentedKeys(String doc) {
        List<String> out = new ArrayList<>();
        Matcher row = Pattern.compile("(?m)^\\| ([^|]+) \\|").matcher(doc);
        while (row.find()) {
            Matcher key = Pattern.compile("`([a-z_.]+)`").matcher(row.group(1));
            String first = null;
            while (key.find()) {
                String k = key.group(1);
                if (k.startsWith(".") && first != null) {
                    k = first.substring(0, first.lastIndexOf('.')) + k;
                } else {
                    first = k;
                }
                out.add(k);
            }
        }
        return out;
    }

    @Test
    void everyAgentAndRelayKeyIsDocumentedAndNothingElse() throws Exception {
        ConfigReader agent = ConfigReader.empty();
        AgentConfigLoader.load(agent, k -> null);
        ConfigReader relay = ConfigReader.empty();
        RelayConfigLoader.load(relay, k -> null);
        List<String> documented = documentedKeys(doc());
        Set<String> read = new java.util.TreeSet<>(agent.readKeys());
        read.addAll(relay.readKeys());
        assertThat(documented).as("keys read by the loaders but missing from docs/configuration.md").containsAll(read);
        assertThat(read).as("keys in docs/configuration.md that no loader reads").containsAll(documented);
    }
}
