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

    /** Interpolates {@code text}; unresolved variables are appended to {@code problems}. */
    public static String apply(String text, Function<String, String> env, List<String> problems) {
        StringBuilder out = new StringBuilder(text.length());
        Matcher m = VAR.matcher(text);
        int last = 0;
        while (m.find()) {
            out.append(text, last, m.start());
            if (m.group().equals("$$")) {
                out.append('$');
            } else {
                String value = env.apply(m.group(1));
                if (value == null || (value.isEmpty() && m.group(2) != null)) {
                    value = m.group(2);
                }
                if (value == null) {
                    int line = 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
                    problems.add("line " + line + ": environment variable " + m.group(1) + " is not set (write ${"
                            + m.group(1) + ":-default} to give a default)");
                    value = "";
                }
                out.append(value);
            }
            last = m.end();
        }
        return out.append(text.substring(last)).toString();
    }

    /** Interpolation against a fixed map (tests) or {@link System#getenv()}. */
    public static Function<String, String> env(Map<String, String> vars) {
        return vars::get;
    }
}
