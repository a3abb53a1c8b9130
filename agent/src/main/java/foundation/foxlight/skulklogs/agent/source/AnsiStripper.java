package foundation.foxlight.skulklogs.agent.source;

import java.util.regex.Pattern;

/**
 * Removes ANSI escape sequences (colours, cursor movement: CSI {@code ESC [ ... final}, OSC {@code ESC ] ... BEL|ST},
 * and the other two-character {@code ESC x} sequences, e.g. keypad modes {@code ESC =}, {@code ESC >}) from text. Stateless and thread-safe.
 */
final class AnsiStripper {
    private static final Pattern ANSI = Pattern.compile(
            "\u001B\\[[0-?]*[ -/]*[@-~]|\u001B\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)|\u001B[0-~]");

    private AnsiStripper() {
    }

    /** The text without escape sequences; the same instance when there were none. */
    static String strip(String text) {
        if (text.indexOf('\u001B') < 0) {
            return text;
        }
        return ANSI.matcher(text).replaceAll("");
    }
}
