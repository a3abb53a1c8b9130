package foundation.foxlight.skulklogs.it.victorialogs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The subset of LogsQL the stand-in understands, parsed with VictoriaLogs' own lexing rules and evaluated with its
 * matching rules. Anything outside the subset is refused with {@link LogsQlException} (a 400), never guessed at.
 *
 * <p>Supported: {@code *}; words and phrases ({@code error}, {@code "disk full"}, {@code laptop-1}) matched on word
 * boundaries, case-sensitively; prefixes ({@code err*}, {@code "disk f"*}); {@code field:filter} for every filter;
 * {@code field:*} (non-empty) and {@code field:""} (empty or missing); exact {@code =v}, {@code =v*}, {@code !=v};
 * {@code in(v1, v2)}; {@code i(v)} and {@code i(v*)}; regexps {@code ~"re"}, {@code !~"re"} (Java regex syntax);
 * stream filters {@code {a="x", b!="y", c=~"re", d!~"re"}} with or without {@code _stream:}; {@code _stream_id:id};
 * {@code _time:5m} style durations; {@code AND} (or juxtaposition), {@code OR}, {@code NOT}/{@code -}/{@code !},
 * parentheses, {@code field:(a OR b)}, {@code #} comments. Not supported: pipes, range and other functions, other
 * {@code _time} forms, {@code in}/{@code not_in} in stream filters, subqueries.
 */
final class LogsQl {
    /** A parsed query: a filter over rows. */
    interface Filter {
        boolean matches(StoredRow row);
    }

    private static final Set<String> UNSUPPORTED_FUNCTIONS = Set.of(
            "re", "seq", "range", "ipv4_range", "ipv6_range", "len_range", "string_range", "contains_all", "contains_any",
            "contains_common_case", "equals_common_case", "value_type", "eq_field", "le_field", "lt_field",
            "pattern_match", "pattern_match_full", "sequence");

    private static final Set<String> PIPE_NAMES = Set.of(
            "block_stats", "blocks_count", "collapse_nums", "copy", "cp", "decolorize", "delete", "del", "rm", "drop",
            "drop_empty_fields", "extract", "extract_regexp", "facets", "field_names", "field_values", "fields", "keep",
            "filter", "where", "first", "format", "generate_sequence", "head", "join", "json_array_len", "last", "len",
            "limit", "math", "eval", "offset", "skip", "order", "pack_json", "pack_logfmt", "rename", "mv", "replace",
            "replace_regexp", "running_stats", "sample", "set_stream_fields", "sort", "split", "stats", "stream_context",
            "time_add", "top", "total_stats", "union", "uniq", "unpack_json", "unpack_logfmt", "unpack_syslog",
            "unpack_words", "unroll");

    private LogsQl() {
    }

    /**
     * Parses a query.
     *
     * @param nowNanos the instant {@code _time:5m} style filters are relative to
     * @throws LogsQlException for a syntax error or syntax outside the supported subset
     */
    static Filter parse(String query, long nowNanos) {
        Lexer lex = new Lexer(query);
        if (lex.isKeyword("|", ")", "")) {
            throw new LogsQlException("missing query");
        }
        if (!lex.quoted && PIPE_NAMES.contains(lex.token.toLowerCase(Locale.ROOT))) {
            throw new LogsQlException("query filter cannot start with pipe keyword \"" + lex.token.toLowerCase(Locale.ROOT)
                    + "\"; please put the first word of the filter into quotes");
        }
        Parser p = new Parser(lex, nowNanos);
        Filter f = p.parseOr("");
        if (lex.isKeyword("|")) {
            throw new LogsQlException("pipes ('| ...') are not supported by the VictoriaLogs stand-in; filter only");
        }
        if (!lex.isEnd()) {
            throw new LogsQlException("unexpected unparsed tail; tail: [" + lex.rest() + "]");
        }
        return f;
    }

    // ---------------------------------------------------------------------------------------------- lexer

    static boolean isTokenRune(int cp) {
        return Character.isLetter(cp) || Character.isDigit(cp) || cp == '_';
    }

    private static final class Lexer {
        private final String s;
        private int pos;
        String token = "";
        String raw = "";
        boolean quoted;
        boolean skippedSpace;
        String prevToken = "";

        Lexer(String s) {
            this.s = s;
            next();
        }

        Lexer copy() {
            return new Lexer(this);
        }

        private Lexer(Lexer o) {
            this.s = o.s;
            this.pos = o.pos;
            this.token = o.token;
            this.raw = o.raw;
            this.quoted = o.quoted;
            this.skippedSpace = o.skippedSpace;
            this.prevToken = o.prevToken;
        }

        void restore(Lexer o) {
            pos = o.pos;
            token = o.token;
            raw = o.raw;
            quoted = o.quoted;
            skippedSpace = o.skippedSpace;
            prevToken = o.prevToken;
        }

        String rest() {
            return s.substring(pos);
        }

        boolean isEnd() {
            return pos >= s.length() && token.isEmpty() && raw.isEmpty();
        }

        boolean isKeyword(String... keywords) {
            if (quoted) {
                return false;
            }
            String lower = token.toLowerCase(Locale.ROOT);
            for (String k : keywords) {
                if (k.equals(lower)) {
                    return true;
                }
            }
            return false;
        }

        private void single(int size) {
            token = s.substring(pos, pos + size);
            raw = token;
            quoted = false;
            pos += size;
        }

        void next() {
            prevToken = token;
            token = "";
            raw = "";
            quoted = false;
            skippedSpace = false;
            while (true) {
                while (pos < s.length() && Character.isWhitespace(s.codePointAt(pos))) {
                    skippedSpace = true;
                    pos += Character.charCount(s.codePointAt(pos));
                }
                if (pos < s.length() && s.charAt(pos) == '#') {
                    int nl = s.indexOf('\n', pos);
                    pos = nl < 0 ? s.length() : nl + 1;
                    continue;
                }
                break;
            }
            if (pos >= s.length()) {
                return;
            }
            int end = pos;
            while (end < s.length()) {
                int cp = s.codePointAt(end);
                if (!isTokenRune(cp) && cp != '.') {
                    break;
                }
                end += Character.charCount(cp);
            }
            if (end > pos) {
                single(end - pos);
                return;
            }
            char c = s.charAt(pos);
            switch (c) {
                case '"':
                case '\'': {
                    int[] endOut = new int[1];
                    String v = unquote(s, pos, c, endOut);
                    if (v == null) {
                        single(1);
                    } else {
                        token = v;
                        raw = s.substring(pos, endOut[0]);
                        quoted = true;
                        pos = endOut[0];
                    }
                    return;
                }
                case '`': {
                    int close = s.indexOf('`', pos + 1);
                    if (close < 0) {
                        single(1);
                    } else {
                        token = s.substring(pos + 1, close).replace("\r", "");
                        raw = s.substring(pos, close + 1);
                        quoted = true;
                        pos = close + 1;
                    }
                    return;
                }
                case '=':
                    single(pos + 1 < s.length() && s.charAt(pos + 1) == '~' ? 2 : 1);
                    return;
                case '!':
                    single(pos + 1 < s.length() && (s.charAt(pos + 1) == '~' || s.charAt(pos + 1) == '=') ? 2 : 1);
                    return;
                default:
                    single(Character.charCount(s.codePointAt(pos)));
            }
        }

        /** Go-style unquoting of a {@code "..."} or {@code '...'} literal starting at {@code start}; null if malformed. */
        private static String unquote(String s, int start, char q, int[] endOut) {
            StringBuilder b = new StringBuilder();
            int i = start + 1;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == q) {
                    endOut[0] = i + 1;
                    return b.toString();
                }
                if (c == '\n') {
                    return null;
                }
                if (c != '\\') {
                    b.append(c);
                    i++;
                    continue;
                }
                if (i + 1 >= s.length()) {
                    return null;
                }
                char e = s.charAt(i + 1);
                i += 2;
                switch (e) {
                    case 'a': b.append('\u0007'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'n': b.append('\n'); break;
                    case 'r': b.append('\r'); break;
                    case 't': b.append('\t'); break;
                    case 'v': b.append('\u000B'); break;
                    case '\\': b.append('\\'); break;
                    case '"':
                    case '\'':
                        if (e != q) {
                            return null;
                        }
                        b.append(e);
                        break;
                    case 'x':
                    case 'u':
                    case 'U': {
                        int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                        if (i + n > s.length()) {
                            return null;
                        }
                        try {
                            b.appendCodePoint(Integer.parseInt(s.substring(i, i + n), 16));
                        } catch (IllegalArgumentException ex) {
                            return null;
                        }
                        i += n;
                        break;
                    }
                    default:
                        if (e >= '0' && e <= '7' && i + 2 <= s.length()) {
                            try {
                                b.append((char) Integer.parseInt(s.substring(i - 1, i + 2), 8));
                            } catch (NumberFormatException ex) {
                                return null;
                            }
                            i += 2;
                            break;
                        }
                        return null;
                }
            }
            return null;
        }
    }

    // ---------------------------------------------------------------------------------------------- parser

    private static final class Parser {
        private final Lexer lex;
        private final long nowNanos;

        Parser(Lexer lex, long nowNanos) {
            this.lex = lex;
            this.nowNanos = nowNanos;
        }

        Filter parseOr(String field) {
            List<Filter> filters = new ArrayList<>();
            while (true) {
                filters.add(parseAnd(field));
                if (lex.isKeyword("|", ")", "")) {
                    return filters.size() == 1 ? filters.get(0) : row -> filters.stream().anyMatch(f -> f.matches(row));
                }
                if (lex.isKeyword("or")) {
                    lex.next();
                    if (lex.isEnd()) {
                        throw new LogsQlException("missing filter after 'or'");
                    }
                }
            }
        }

        Filter parseAnd(String field) {
            List<Filter> filters = new ArrayList<>();
            while (true) {
                filters.add(parseGeneric(field));
                if (lex.isKeyword("or", "|", ")", "")) {
                    return filters.size() == 1 ? filters.get(0) : row -> filters.stream().allMatch(f -> f.matches(row));
                }
                if (lex.isKeyword("and")) {
                    lex.next();
                    if (lex.isEnd()) {
                        throw new LogsQlException("missing filter after 'and'");
                    }
                }
            }
        }

        Filter parseGeneric(String field) {
            if (lex.isKeyword("{")) {
                if (!field.isEmpty() && !field.equals("_stream")) {
                    throw new LogsQlException("stream filter cannot be applied to \"" + field + "\" field; it can be applied only to _stream field");
                }
                return parseStreamFilter();
            }
            if (lex.isKeyword(":")) {
                lex.next();
                if (lex.isEnd()) {
                    throw new LogsQlException("missing filter after ':'");
                }
                return parseGeneric(field);
            }
            if (lex.isKeyword("*")) {
                lex.next();
                return prefixFilter(field, "");
            }
            if (lex.isKeyword("(")) {
                if (!lex.skippedSpace && !List.of("", ":", "(", "!", "-", "not").contains(lex.prevToken.toLowerCase(Locale.ROOT))) {
                    throw new LogsQlException("missing whitespace after the search word \"" + lex.prevToken + "\"");
                }
                lex.next();
                if (lex.isEnd()) {
                    throw new LogsQlException("missing filter after '('");
                }
                Filter f = parseOr(field);
                if (!lex.isKeyword(")")) {
                    throw new LogsQlException("unexpected token \"" + lex.token + "\" instead of ')'");
                }
                lex.next();
                return f;
            }
            if (lex.isKeyword(">", "<", ">=", "<=")) {
                throw unsupported("range comparison filters ('" + lex.token + "')");
            }
            if (lex.isKeyword("=")) {
                lex.next();
                String v = compoundFuncArg();
                if (lex.isKeyword("*") && !lex.skippedSpace) {
                    lex.next();
                    return row -> row.value(field).startsWith(v);
                }
                return row -> row.value(field).equals(v);
            }
            if (lex.isKeyword("!=")) {
                lex.next();
                String v = compoundFuncArg();
                if (lex.isKeyword("*") && !lex.skippedSpace) {
                    lex.next();
                    return row -> !row.value(field).startsWith(v);
                }
                return row -> !row.value(field).equals(v);
            }
            if (lex.isKeyword("~", "!~")) {
                boolean negate = lex.isKeyword("!~");
                lex.next();
                Pattern re = compileRegex(compoundFuncArg());
                return negate ? row -> !re.matcher(row.value(field)).find() : row -> re.matcher(row.value(field)).find();
            }
            if (lex.isKeyword("not", "!", "-")) {
                String kw = lex.token;
                lex.next();
                if (lex.isEnd()) {
                    throw new LogsQlException("missing filters after '" + kw + "'");
                }
                Filter f = parseGeneric(field);
                return row -> !f.matches(row);
            }
            if (lex.isKeyword("i", "exact", "in") && nextIsOpenParen()) {
                return parseFunction(field);
            }
            if (!lex.quoted && UNSUPPORTED_FUNCTIONS.contains(lex.token.toLowerCase(Locale.ROOT)) && nextIsOpenParen()) {
                throw unsupported("the " + lex.token + "() filter");
            }
            if (lex.isKeyword("\"", "'", "`")) {
                throw new LogsQlException("improperly quoted string");
            }
            if (lex.isKeyword(",", ")", "[", "]")) {
                throw new LogsQlException("unexpected token \"" + lex.token + "\"");
            }
            String phrase = compoundPhrase(!field.isEmpty());
            return filterForPhrase(phrase, field);
        }

        private boolean nextIsOpenParen() {
            Lexer saved = lex.copy();
            lex.next();
            boolean paren = lex.isKeyword("(");
            lex.restore(saved);
            return paren;
        }

        private Filter parseFunction(String field) {
            String fn = lex.token.toLowerCase(Locale.ROOT);
            lex.next(); // '('
            lex.next();
            if (fn.equals("in")) {
                List<String> values = new ArrayList<>();
                boolean all = false;
                while (!lex.isKeyword(")")) {
                    if (lex.isEnd()) {
                        throw new LogsQlException("missing ')' after in(");
                    }
                    if (lex.isKeyword("*")) {
                        all = true;
                        lex.next();
                    } else {
                        String v = compoundFuncArg();
                        if (lex.isKeyword("|")) {
                            throw unsupported("subqueries in in(...)");
                        }
                        values.add(v);
                    }
                    if (lex.isKeyword(",")) {
                        lex.next();
                    } else if (!lex.isKeyword(")")) {
                        throw unsupported("in(...) with anything but a list of values (got \"" + lex.token + "\")");
                    }
                }
                lex.next();
                if (all) {
                    return row -> true;
                }
                Set<String> set = Set.copyOf(values);
                return row -> set.contains(row.value(field));
            }
            String arg = compoundFuncArg();
            boolean prefix = false;
            if (lex.isKeyword("*") && !lex.skippedSpace) {
                prefix = true;
                lex.next();
            }
            if (!lex.isKeyword(")")) {
                throw new LogsQlException("unexpected token \"" + lex.token + "\" instead of ')' in " + fn + "()");
            }
            lex.next();
            if (fn.equals("exact")) {
                return prefix ? row -> row.value(field).startsWith(arg) : row -> row.value(field).equals(arg);
            }
            String lower = arg.toLowerCase(Locale.ROOT);
            if (prefix) {
                return row -> lower.isEmpty() ? !row.value(field).isEmpty() : matchPrefix(row.value(field).toLowerCase(Locale.ROOT), lower);
            }
            return row -> lower.isEmpty() ? row.value(field).isEmpty() : matchPhrase(row.value(field).toLowerCase(Locale.ROOT), lower);
        }

        private Filter filterForPhrase(String phrase, String field) {
            if (!field.isEmpty() || !lex.isKeyword(":")) {
                if (lex.isKeyword("*") && !lex.skippedSpace) {
                    lex.next();
                    return prefixFilter(field, phrase);
                }
                return row -> {
                    String v = row.value(field);
                    return phrase.isEmpty() ? v.isEmpty() : matchPhrase(v, phrase);
                };
            }
            String fieldName = phrase;
            lex.next();
            if (lex.isEnd()) {
                throw new LogsQlException("missing filter after field name " + fieldName);
            }
            switch (fieldName) {
                case "_time":
                    return parseTimeFilter();
                case "_stream_id": {
                    if (lex.isKeyword("in") && nextIsOpenParen()) {
                        return parseFunction("_stream_id");
                    }
                    String id = compoundFuncArg();
                    return row -> row.streamId().equals(id);
                }
                case "_stream":
                    if (!lex.isKeyword("{")) {
                        throw unsupported("_stream filters other than _stream:{...}");
                    }
                    return parseStreamFilter();
                default:
                    return parseGeneric(fieldName);
            }
        }

        private Filter prefixFilter(String field, String prefix) {
            if (prefix.isEmpty()) {
                return field.isEmpty() || field.equals("_msg") ? row -> true : row -> !row.value(field).isEmpty();
            }
            return row -> matchPrefix(row.value(field), prefix);
        }

        private Filter parseTimeFilter() {
            if (lex.isKeyword("[", "(", ">", "<", ">=", "<=", "day_range", "week_range", "offset")) {
                throw unsupported("_time filters other than _time:<duration> (e.g. _time:5m)");
            }
            String text = lex.token;
            lex.next();
            while (!lex.skippedSpace && !lex.isEnd() && !lex.isKeyword(")", "|", "(")) {
                text += lex.raw;
                lex.next();
            }
            long d = VlTime.parseDurationNanos(text);
            if (d < 0) {
                throw unsupported("_time:" + text + " (only _time:<duration> such as _time:5m is supported)");
            }
            if (lex.isKeyword("offset")) {
                throw unsupported("_time filters with offset");
            }
            long min = nowNanos - d;
            return row -> row.timeNanos() > min && row.timeNanos() <= nowNanos;
        }

        private Filter parseStreamFilter() {
            lex.next(); // past '{'
            List<Filter> matchers = new ArrayList<>();
            while (!lex.isKeyword("}")) {
                if (lex.isEnd()) {
                    throw new LogsQlException("missing '}' in stream filter");
                }
                if (lex.isKeyword("or")) {
                    throw unsupported("'or' inside stream filters");
                }
                String name = lex.token;
                lex.next();
                while (!lex.skippedSpace && !lex.quoted && !lex.isEnd() && !lex.isKeyword("=", "!=", "=~", "!~", "}", ",")) {
                    name += lex.token;
                    lex.next();
                }
                String op = lex.token;
                if (lex.isKeyword("in", "not_in")) {
                    throw unsupported("'" + op + "' inside stream filters");
                }
                if (!lex.isKeyword("=", "!=", "=~", "!~")) {
                    throw new LogsQlException("unexpected token \"" + op + "\" in stream filter; want =, !=, =~ or !~");
                }
                lex.next();
                if (lex.isEnd() || lex.isKeyword("}", ",")) {
                    throw new LogsQlException("missing value for " + name + op + " in stream filter");
                }
                String value = lex.token;
                lex.next();
                String tag = name;
                switch (op) {
                    case "=": matchers.add(row -> row.streamTags().getOrDefault(tag, "").equals(value)); break;
                    case "!=": matchers.add(row -> !row.streamTags().getOrDefault(tag, "").equals(value)); break;
                    default: {
                        Pattern re = compileRegex(value);
                        boolean negate = op.equals("!~");
                        matchers.add(row -> re.matcher(row.streamTags().getOrDefault(tag, "")).matches() != negate);
                    }
                }
                if (lex.isKeyword(",")) {
                    lex.next();
                } else if (!lex.isKeyword("}")) {
                    throw new LogsQlException("unexpected token \"" + lex.token + "\" in stream filter; want ',' or '}'");
                }
            }
            lex.next();
            return row -> matchers.stream().allMatch(m -> m.matches(row));
        }

        private String compoundPhrase(boolean allowColon) {
            if (lex.isKeyword("*", ",", "(", ")", "[", "]", "|", "")) {
                throw new LogsQlException("compound phrase cannot start with '" + lex.token + "'");
            }
            String phrase = lex.token;
            String rawPhrase = lex.raw;
            lex.next();
            StringBuilder suffix = new StringBuilder();
            while (!lex.skippedSpace && !lex.isKeyword("*", ",", "(", ")", "[", "]", "|", "")
                    && !(!allowColon && lex.isKeyword(":"))) {
                suffix.append(lex.raw);
                lex.next();
            }
            return suffix.length() == 0 ? phrase : rawPhrase + suffix;
        }

        private String compoundFuncArg() {
            if (lex.isKeyword("*")) {
                return "";
            }
            String arg = lex.token;
            String rawArg = lex.raw;
            lex.next();
            StringBuilder suffix = new StringBuilder();
            while (!lex.skippedSpace && !lex.isKeyword("*", ",", "(", ")", "|", "")) {
                suffix.append(lex.raw);
                lex.next();
            }
            return suffix.length() == 0 ? arg : rawArg + suffix;
        }

        private static Pattern compileRegex(String re) {
            try {
                return Pattern.compile(re);
            } catch (PatternSyntaxException e) {
                throw new LogsQlException("invalid regexp \"" + re + "\": " + e.getDescription());
            }
        }

        private static LogsQlException unsupported(String what) {
            return new LogsQlException(what + " is not supported by the VictoriaLogs stand-in; supported: words, phrases, "
                    + "prefixes, field:filter, field:*, field:\"\", =exact, in(), i(), ~regexp, {stream filters}, "
                    + "_stream_id:, _time:<duration>, AND, OR, NOT, -, parentheses");
        }
    }

    // ---------------------------------------------------------------------------------------------- matching

    /** VictoriaLogs' phrase match: an occurrence whose ends, where they are word characters, sit on word boundaries. */
    static boolean matchPhrase(String s, String phrase) {
        boolean checkLeft = isTokenRune(phrase.codePointAt(0));
        boolean checkRight = isTokenRune(phrase.codePointBefore(phrase.length()));
        for (int i = s.indexOf(phrase); i >= 0; i = s.indexOf(phrase, i + 1)) {
            if (checkLeft && i > 0 && isTokenRune(s.codePointBefore(i))) {
                continue;
            }
            int end = i + phrase.length();
            if (checkRight && end < s.length() && isTokenRune(s.codePointAt(end))) {
                continue;
            }
            return true;
        }
        return false;
    }

    /** VictoriaLogs' prefix match: an occurrence whose start, where it is a word character, sits on a word boundary. */
    static boolean matchPrefix(String s, String prefix) {
        boolean checkLeft = isTokenRune(prefix.codePointAt(0));
        for (int i = s.indexOf(prefix); i >= 0; i = s.indexOf(prefix, i + 1)) {
            if (checkLeft && i > 0 && isTokenRune(s.codePointBefore(i))) {
                continue;
            }
            return true;
        }
        return false;
    }
}
