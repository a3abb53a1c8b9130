package foundation.foxlight.skulklogs.agent.source;

import foundation.foxlight.skulklogs.agent.config.FileSourceConfig;
import foundation.foxlight.skulklogs.agent.source.FileTailer.ReadFrom;
import foundation.foxlight.skulklogs.common.config.ConfigReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sources.journald}: follow Skulk's output in the systemd journal (Linux: the user unit
 * {@code skulk.service} logs to the journal with {@code SyslogIdentifier=skulk}) by running {@code journalctl}.
 *
 * @param enabled        whether the source runs (default false)
 * @param command        the program (and any leading arguments) to run; default {@code [journalctl]}. The source
 *                       appends its own arguments ({@link #arguments})
 * @param user           read the user's journal ({@code --user}, default true: Skulk runs as a user unit)
 * @param unit           only entries of this unit ({@code --unit=skulk}, default {@code skulk}); empty = all units
 * @param identifier     when not empty, keep only entries whose {@code SYSLOG_IDENTIFIER} equals it (default empty:
 *                       keep everything of the unit, including systemd's own messages about it — they are kept as
 *                       non-JSON lines)
 * @param readFrom       where to start when no cursor was saved yet: {@code beginning} (default: the oldest entry the
 *                       journal still has) or {@code end} (only entries written from now on)
 * @param since          when not empty and no cursor was saved yet, start at this time instead ({@code --since=},
 *                       any {@code journalctl} time such as {@code "2026-05-04 12:00"} or {@code "-1h"})
 * @param maxLineBytes   a message longer than this is cut into flagged pieces (default 256 KiB)
 * @param maxBatchBytes  a buffer record holds at most about this many message bytes (default 256 KiB)
 * @param maxBatchLines  ... and at most this many lines (default 1000)
 * @param restartBackoffInitial first wait before restarting {@code journalctl} after it exited or failed to start
 *                       (default 1 s; doubles per consecutive failure, with jitter)
 * @param restartBackoffMax     longest such wait (default 30 s)
 */
public record JournaldConfig(boolean enabled, List<String> command, boolean user, String unit, String identifier,
        ReadFrom readFrom, String since, int maxLineBytes, int maxBatchBytes, int maxBatchLines,
        Duration restartBackoffInitial, Duration restartBackoffMax) {

    /** The journal fields asked for; {@code journalctl} always adds {@code __CURSOR} and {@code __REALTIME_TIMESTAMP}. */
    public static final String OUTPUT_FIELDS = "MESSAGE,_HOSTNAME,__CURSOR,__REALTIME_TIMESTAMP,SYSLOG_IDENTIFIER,PRIORITY";
    public static final List<String> DEFAULT_COMMAND = List.of("journalctl");
    public static final String DEFAULT_UNIT = "skulk";

    public JournaldConfig {
        command = List.copyOf(command);
        unit = unit == null ? "" : unit.strip();
        identifier = identifier == null ? "" : identifier.strip();
        since = since == null ? "" : since.strip();
    }

    /** The defaults, with the source enabled or not. */
    public static JournaldConfig defaults(boolean enabled) {
        return new JournaldConfig(enabled, DEFAULT_COMMAND, true, DEFAULT_UNIT, "", ReadFrom.BEGINNING, "",
                FileSourceConfig.DEFAULT_MAX_LINE_BYTES, 256 * 1024, 1000, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    /** A copy running another program (tests use a fake {@code journalctl}). */
    public JournaldConfig withCommand(List<String> newCommand) {
        return new JournaldConfig(enabled, newCommand, user, unit, identifier, readFrom, since, maxLineBytes, maxBatchBytes,
                maxBatchLines, restartBackoffInitial, restartBackoffMax);
    }

    /** Every problem with the values, empty when valid. */
    public List<String> validate() {
        List<String> errors = new ArrayList<>();
        if (command.isEmpty() || command.get(0).isBlank()) {
            errors.add("command must name a program (journalctl)");
        }
        if (readFrom == null) {
            errors.add("read_from is required");
        }
        BatchLimits.check(errors, maxLineBytes, maxBatchBytes, maxBatchLines);
        if (restartBackoffInitial == null || restartBackoffInitial.toMillis() < 1 || restartBackoffMax == null
                || restartBackoffMax.compareTo(restartBackoffInitial) < 0) {
            errors.add("need 1ms <= restart_backoff_initial <= restart_backoff_max (got " + restartBackoffInitial + ", "
                    + restartBackoffMax + ")");
        }
        return errors;
    }

    /**
     * The whole command line: {@link #command()} followed by
     * {@code --output=json --follow --no-pager --all --output-fields=...}, {@code --user} and {@code --unit=} as
     * configured, and the start position: {@code --after-cursor=<cursor> --no-tail} when a cursor is known, else
     * {@code --since=<since> --no-tail} (the {@code since} argument, or the configured one), else {@code --no-tail}
     * (beginning) or {@code --lines=0} (end). {@code --all} matters: without it {@code journalctl} prints
     * {@code null} instead of any field longer than 4096 bytes (a Skulk line with a traceback).
     *
     * @param cursor where to resume (exclusive), or null
     * @param sinceOverride a start time used when there is no cursor (overrides {@link #since()}), or null
     */
    public List<String> arguments(String cursor, String sinceOverride) {
        List<String> cmd = new ArrayList<>(command);
        cmd.add("--output=json");
        cmd.add("--follow");
        cmd.add("--no-pager");
        cmd.add("--all");
        cmd.add("--output-fields=" + OUTPUT_FIELDS);
        if (user) {
            cmd.add("--user");
        }
        if (!unit.isEmpty()) {
            cmd.add("--unit=" + unit);
        }
        String start = sinceOverride != null && !sinceOverride.isBlank() ? sinceOverride : since;
        if (cursor != null && !cursor.isEmpty()) {
            cmd.add("--after-cursor=" + cursor);
            cmd.add("--no-tail");
        } else if (!start.isEmpty()) {
            cmd.add("--since=" + start);
            cmd.add("--no-tail");
        } else if (readFrom == ReadFrom.END) {
            cmd.add("--lines=0");
        } else {
            cmd.add("--no-tail"); // with --follow, journalctl would otherwise start at the last 10 entries
        }
        return cmd;
    }

    /**
     * Reads {@code sources.journald.*}: {@code enabled}, {@code command} (a list, or a comma-separated string),
     * {@code user}, {@code unit}, {@code identifier}, {@code read_from} ({@code beginning} | {@code end}),
     * {@code since}, {@code max_line_bytes}, {@code max_batch_bytes}, {@code max_batch_lines},
     * {@code restart_backoff_initial}, {@code restart_backoff_max}. Problems are recorded on the reader.
     */
    public static JournaldConfig read(ConfigReader r) {
        String p = "sources.journald.";
        JournaldConfig d = defaults(false);
        List<String> command = r.stringList(p + "command", d.command());
        if (command.isEmpty()) {
            r.problem(p + "command", "must name a program (journalctl)");
            command = d.command();
        }
        JournaldConfig c = new JournaldConfig(r.bool(p + "enabled", d.enabled()), command, r.bool(p + "user", d.user()),
                r.string(p + "unit", d.unit()), r.string(p + "identifier", d.identifier()),
                r.enumValue(p + "read_from", ReadFrom.class, d.readFrom()), r.string(p + "since", d.since()),
                (int) r.bytes(p + "max_line_bytes", d.maxLineBytes(), 1024, 2L << 20),
                (int) r.bytes(p + "max_batch_bytes", d.maxBatchBytes(), 1024, 4L << 20),
                r.integer(p + "max_batch_lines", d.maxBatchLines(), 1, 100_000),
                r.duration(p + "restart_backoff_initial", d.restartBackoffInitial(), Duration.ofMillis(1), Duration.ofMinutes(10)),
                r.duration(p + "restart_backoff_max", d.restartBackoffMax(), Duration.ofMillis(1), Duration.ofHours(1)));
        for (String problem : c.validate()) {
            r.problem("sources.journald", problem);
        }
        return c;
    }
}
