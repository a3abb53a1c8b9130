package foundation.foxlight.skulklogs.common.config;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${VAR}} and {@code ${VAR:-default}} interpolation of configuration text, as in a shell. {@code $$}
 * is a literal {@code $}. A variable that is unset and has no default is a problem reported with its line.
 */
public final class Interpolation {
    private static final Pattern VAR = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private Interpolation() {
    }

    /**
     * Interpolates {@code text}; unresolved variables are appended to {@code problems}. Lines that are
     * YAML comments as a whole (first non-blank character {@code #}) are left as they are: a commented-out
     * {@code ${VAR}} is not a problem.
     */
    public static String apply(String text, Function<String, String> env, List<String> problems) {
        StringBuilder out = new StringBuilder(text.length());
        int lineNumber = 1;
        int lineStart = 0;
        while (lineStart < text.length()) {
            int nl = text.indexOf('\n', lineStart);
            int lineEnd = nl < 0 ? text.length() : nl + 1;
            String line = text.substring(lineStart, lineEnd);
            if (line.strip().startsWith("#")) {
                out.append(line);
            } else {
                interpolateLine(line, lineNumber, env, problems, out);
            }
            lineStart = lineEnd;
            lineNumber++;
        }
        return out.toString();
    }

    private static void interpolateLine(String line, int lineNumber, Function<String, String> env, List<String> problems,
            StringBuilder out) {
        Matcher m = VAR.matcher(line);
        int last = 0;
        while (m.find()) {
            out.append(line, last, m.start());
            if (m.group().equals("$$")) {
                out.append('$');
            } else {
                String value = env.apply(m.group(1));
                if (value == null || (value.isEmpty() && m.group(2) != null)) {
                    value = m.group(2);
                }
                if (value == null) {
                    problems.add("line " + lineNumber + ": environment variable " + m.group(1) + " is not set (write ${"
                            + m.group(1) + ":-default} to give a default)");
                    value = "";
                }
                out.append(value);
            }
            last = m.end();
        }
        out.append(line, last, line.length());
    }

    /** Interpolation against a fixed map (tests) or {@link System#getenv()}. */
    public static Function<String, String> env(Map<String, String> vars) {
        return vars::get;
    }
}
