package foundation.foxlight.skulklogs.launcher.doctor;

import foundation.foxlight.skulklogs.launcher.doctor.probe.HttpProbe;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code clock}: this node's clock against the {@code Date} header of the relay's answer (or VictoriaLogs' when
 * the relay sends none). The header has a resolution of one second, so skews up to about 1 s are not visible;
 * WARN above 2 s, FAIL above 60 s.
 */
record ClockSkewCheck(DoctorContext ctx) implements Check {
    static final Duration WARN_ABOVE = Duration.ofSeconds(2);
    static final Duration FAIL_ABOVE = Duration.ofSeconds(60);

    @Override
    public String name() {
        return "clock";
    }

    @Override
    public CheckResult run() throws Exception {
        HttpProbe.Result[] sources = {ctx.relayHealth(), ctx.victoriaLogsHealth()};
        String[] names = {"the relay", "VictoriaLogs"};
        boolean anyAnswered = false;
        for (int i = 0; i < sources.length; i++) {
            HttpProbe.Result r = sources[i];
            if (!r.answered()) {
                continue;
            }
            anyAnswered = true;
            if (r.answer().date().isEmpty()) {
                continue;
            }
            return judge(names[i], r);
        }
        return CheckResult.skip(name(), anyAnswered ? "neither the relay nor VictoriaLogs sent a Date header"
                : "neither the relay nor VictoriaLogs answered (see relay.health)");
    }

    private CheckResult judge(String who, HttpProbe.Result r) {
        HttpProbe.Answer a = r.answer();
        // The Date header is truncated to the second: the server's time was in [date, date + 1 s).
        Instant server = a.date().orElseThrow().plusMillis(500);
        Instant local = a.sent().plus(Duration.between(a.sent(), a.received()).dividedBy(2));
        Duration skew = Duration.between(local, server); // positive: the server is ahead, this clock is behind
        Duration abs = skew.abs();
        String what = "this node's clock is " + seconds(abs) + " " + (skew.isNegative() ? "ahead of " : "behind ") + who
                + " (Date header of " + r.uri() + ")";
        String fix = "turn on time synchronisation (macOS: System Settings > General > Date & Time, or sudo sntp -sS time.apple.com; "
                + "Linux: timedatectl set-ntp true); lines carry Skulk's timestamps, and VictoriaLogs drops those outside its "
                + "retention window or more than 2 days ahead";
        if (abs.compareTo(FAIL_ABOVE) > 0) {
            return CheckResult.fail(name(), what, fix);
        }
        if (abs.compareTo(WARN_ABOVE) > 0) {
            return CheckResult.warn(name(), what, fix);
        }
        return CheckResult.ok(name(), "this node's clock is within " + seconds(WARN_ABOVE) + " of " + who + " (off by about "
                + seconds(abs) + ")");
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
