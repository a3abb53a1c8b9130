package foundation.foxlight.skulklogs.launcher.doctor;

import foundation.foxlight.skulklogs.agent.buffer.BufferInspector;
import foundation.foxlight.skulklogs.common.config.Bytes;
import foundation.foxlight.skulklogs.launcher.doctor.probe.HttpProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * {@code buffer}: how full the agent's disk buffer is and how old its oldest line not yet in Kafka is. From the
 * running agent's {@code /metrics} ({@code skulk_agent_buffer_*}); when no agent answers, from the buffer
 * directory itself ({@link BufferInspector}, read-only). WARN at half full or a backlog older than a minute,
 * FAIL at 90 % (files then wait, stdin lines are dropped when it is full).
 */
record BufferCheck(DoctorContext ctx) implements Check {
    static final double WARN_FILL = 0.5;
    static final double FAIL_FILL = 0.9;
    static final double WARN_AGE_SECONDS = 60;

    @Override
    public String name() {
        return "buffer";
    }

    @Override
    public CheckResult run() throws Exception {
        Path dir = ctx.agent().buffer().directory();
        long max = ctx.agent().buffer().maxBytes();
        Findings f = new Findings(name());
        long bytes;
        long unacked;
        OptionalDouble age = OptionalDouble.empty();
        HttpProbe.Result metrics = ctx.settings().agentHttp() == null ? null : ctx.agentMetrics();
        if (metrics != null && metrics.answered() && metrics.answer().status() == 200
                && PrometheusText.value(metrics.answer().body(), "skulk_agent_buffer_bytes").isPresent()) {
            String body = metrics.answer().body();
            bytes = (long) PrometheusText.value(body, "skulk_agent_buffer_bytes").getAsDouble();
            unacked = (long) PrometheusText.value(body, "skulk_agent_buffer_unacked_records").orElse(0);
            age = PrometheusText.value(body, "skulk_agent_buffer_oldest_unacked_age_seconds");
        } else if (Files.isDirectory(dir)) {
            BufferInspector.CheckReport report = BufferInspector.check(dir);
            bytes = report.bytesOnDisk();
            unacked = report.unackedRecords();
            if (!report.ok()) {
                f.warn("buffer " + dir + ": " + String.join("; ", report.problems()), "the agent skips corrupt records when it opens "
                        + "the buffer and counts them; bin/skulk-logs buffer check " + dir + " shows the details");
            }
        } else {
            return CheckResult.skip(name(), "no disk buffer at " + dir + " yet (the agent has not run with this state directory)");
        }
        double fill = (double) bytes / max;
        f.fact("disk buffer " + dir + ": " + Bytes.human(bytes) + " of " + Bytes.human(max) + " (" + Math.round(fill * 100) + " %), "
                + unacked + " record(s) not yet in Kafka" + (age.isPresent() ? ", oldest " + Math.round(age.getAsDouble()) + " s old" : ""));
        String kafkaFix = "Kafka is not taking lines: see the kafka.* checks and the agent's /health; the backlog ships once it does "
                + "(raise buffer.max_bytes for longer outages)";
        if (fill >= FAIL_FILL) {
            f.fail("the buffer is nearly full: files wait (nothing lost) and stdin lines are dropped when it is full", kafkaFix);
        } else if (fill >= WARN_FILL) {
            f.warn("the buffer is over half full", kafkaFix);
        }
        if (age.isPresent() && age.getAsDouble() > WARN_AGE_SECONDS) {
            f.warn("lines have waited " + Math.round(age.getAsDouble()) + " s for Kafka", kafkaFix);
        }
        return f.result();
    }
}
