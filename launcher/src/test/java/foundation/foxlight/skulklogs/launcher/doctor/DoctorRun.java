package foundation.foxlight.skulklogs.launcher.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import foundation.foxlight.skulklogs.launcher.SkulkLogs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code skulk-logs doctor --json ...} through picocli, as the command line does, and reads its answer. */
record DoctorRun(int exitCode, JsonNode json, String err) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static DoctorRun of(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("doctor", "--json"));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new SkulkLogs());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(all.toArray(String[]::new));
        assertThat(out.toString()).as("doctor printed JSON (stderr: %s)", err).startsWith("{");
        return new DoctorRun(code, JSON.readTree(out.toString()), err.toString());
    }

    /** The (first) result of the check called {@code name}. */
    JsonNode check(String name) {
        for (JsonNode c : json.path("checks")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + json.toPrettyString());
    }

    String status(String name) {
        return check(name).path("status").asText();
    }

    String what(String name) {
        return check(name).path("what").asText();
    }

    String fix(String name) {
        return check(name).path("fix").asText();
    }

    /** Names of the checks with this status. */
    List<String> named(String status) {
        List<String> out = new ArrayList<>();
        json.path("checks").forEach(c -> {
            if (c.path("status").asText().equals(status)) {
                out.add(c.path("name").asText());
            }
        });
        return out;
    }

    @Override
    public String toString() {
        return json.toPrettyString();
    }
}
