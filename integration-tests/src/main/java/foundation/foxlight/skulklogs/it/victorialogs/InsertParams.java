package foundation.foxlight.skulklogs.it.victorialogs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The settings of one {@code /insert/jsonline} request, read like VictoriaLogs reads them: each one from a query
 * arg, or when that is absent or empty from its {@code VL-*} header; list values split on commas, untrimmed.
 */
final class InsertParams {
    final Tenant tenant;
    final List<String> timeFields;
    final List<String> msgFields;
    final List<String> streamFields;
    final List<String> ignoreFields;
    final List<Map.Entry<String, String>> extraFields;
    final boolean debug;

    private InsertParams(Tenant tenant, List<String> timeFields, List<String> msgFields, List<String> streamFields,
                         List<String> ignoreFields, List<Map.Entry<String, String>> extraFields, boolean debug) {
        this.tenant = tenant;
        this.timeFields = timeFields;
        this.msgFields = msgFields;
        this.streamFields = streamFields;
        this.ignoreFields = ignoreFields;
        this.extraFields = extraFields;
        this.debug = debug;
    }

    /**
     * Reads the settings.
     *
     * @param arg    a query arg by name, or null
     * @param header a request header by name, or null
     * @throws IllegalArgumentException for a bad tenant header, {@code extra_fields} or {@code debug} (a 400)
     */
    static InsertParams parse(UnaryOperator<String> arg, UnaryOperator<String> header) {
        Tenant tenant = parseTenant(header);
        List<String> timeFields = array(arg, header, "_time_field", "VL-Time-Field");
        if (timeFields.isEmpty()) {
            timeFields = List.of("_time");
        }
        List<Map.Entry<String, String>> extra = new ArrayList<>();
        for (String ef : array(arg, header, "extra_fields", "VL-Extra-Fields")) {
            int eq = ef.indexOf('=');
            if (eq <= 0 || eq == ef.length() - 1) {
                throw new IllegalArgumentException("invalid extra_field format: \"" + ef + "\"; must be in the form \"field=value\"");
            }
            extra.add(Map.entry(ef.substring(0, eq), ef.substring(eq + 1)));
        }
        boolean debug = false;
        String dv = value(arg, header, "debug", "VL-Debug");
        if (!dv.isEmpty()) {
            debug = parseGoBool(dv, "debug");
        }
        return new InsertParams(tenant, timeFields, array(arg, header, "_msg_field", "VL-Msg-Field"),
                array(arg, header, "_stream_fields", "VL-Stream-Fields"),
                array(arg, header, "ignore_fields", "VL-Ignore-Fields"), List.copyOf(extra), debug);
    }

    /** The tenant from the {@code AccountID} and {@code ProjectID} headers (absent or empty: 0). */
    static Tenant parseTenant(UnaryOperator<String> header) {
        return new Tenant(uint32(header.apply("AccountID"), "AccountID"), uint32(header.apply("ProjectID"), "ProjectID"));
    }

    private static long uint32(String s, String name) {
        if (s == null || s.isEmpty()) {
            return 0;
        }
        try {
            long v = Long.parseLong(s);
            if (v >= 0 && v <= 0xFFFF_FFFFL && !s.startsWith("+") && !s.startsWith("-")) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("cannot parse " + name + " header \"" + s + "\": strconv.ParseUint: parsing \"" + s + "\": invalid syntax");
    }

    private static boolean parseGoBool(String v, String name) {
        switch (v) {
            case "1": case "t": case "T": case "TRUE": case "true": case "True":
                return true;
            case "0": case "f": case "F": case "FALSE": case "false": case "False":
                return false;
            default:
                throw new IllegalArgumentException("cannot parse " + name + "=\"" + v + "\": strconv.ParseBool: parsing \"" + v + "\": invalid syntax");
        }
    }

    private static String value(UnaryOperator<String> arg, UnaryOperator<String> header, String argName, String headerName) {
        String v = arg.apply(argName);
        if (v == null || v.isEmpty()) {
            v = header.apply(headerName);
        }
        return v == null ? "" : v;
    }

    private static List<String> array(UnaryOperator<String> arg, UnaryOperator<String> header, String argName, String headerName) {
        String v = value(arg, header, argName, headerName);
        return v.isEmpty() ? List.of() : List.copyOf(Arrays.asList(v.split(",", -1)));
    }
}
