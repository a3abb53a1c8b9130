package foundation.foxlight.skulklogs.launcher.doctor.probe;

import java.util.ArrayList;
import java.util.List;

/** A {@code host:port} address (an IPv6 host in brackets: {@code [::1]:9092}). */
public record HostPort(String host, int port) {
    /** Parses {@code host:port}; throws {@link IllegalArgumentException} when it is not one. */
    public static HostPort parse(String text) {
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("not host:port: '" + text + "'");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new HostPort(host, Integer.parseInt(t.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not host:port: '" + text + "'");
        }
    }

    /** Parses a comma-separated list such as {@code kafka.bootstrap_servers}. */
    public static List<HostPort> parseList(String list) {
        List<HostPort> out = new ArrayList<>();
        for (String s : list.split(",")) {
            if (!s.isBlank()) {
                out.add(parse(s));
            }
        }
        return out;
    }

    /** True for {@code localhost} and loopback literals ({@code 127.x.x.x}, {@code ::1}). */
    public boolean loopback() {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
