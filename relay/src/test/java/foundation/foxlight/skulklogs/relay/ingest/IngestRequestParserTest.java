package foundation.foxlight.skulklogs.relay.ingest;

import static foundation.foxlight.skulklogs.relay.ingest.Bodies.bomb;
import static foundation.foxlight.skulklogs.relay.ingest.Bodies.deflate;
import static foundation.foxlight.skulklogs.relay.ingest.Bodies.gzip;
import static foundation.foxlight.skulklogs.relay.ingest.Bodies.utf8;
import static foundation.foxlight.skulklogs.relay.ingest.Bodies.zstd;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.ZstdOutputStream;
import foundation.foxlight.skulklogs.relay.ingest.IngestRequestParser.BodyStats;
import foundation.foxlight.skulklogs.relay.ingest.IngestRequestParser.ParsedRequest;
import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.PipelineFields;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IngestRequestParserTest {
    private static final String TOKEN = "s3cr3t-t0ken-0123456789";
    private final IngestRequestParser parser = new IngestRequestParser(1 << 20, 1024);

    private static Map<String, String> headers(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static IngestParams head(String query, String... headers) {
        Outcome<IngestParams> o = IngestRequestParser.parseHead("POST", query, headers(headers));
        assertThat(o.error()).isNull();
        return o.value();
    }

    private static IngestError headError(String method, String query, String... headers) {
        Outcome<IngestParams> o = IngestRequestParser.parseHead(method, query, headers(headers));
        assertThat(o.isOk()).as("expected an error").isFalse();
        return o.error();
    }

    private List<LogEvent> lines(ContentEncoding encoding, byte[] body) {
        List<LogEvent> out = new ArrayList<>();
        Outcome<BodyStats> o = parser.readBody(encoding, body, (e, n) -> {
            out.add(e);
            return null;
        });
        assertThat(o.error()).isNull();
        return out;
    }

    private IngestError bodyError(IngestRequestParser p, ContentEncoding encoding, byte[] body) {
        Outcome<BodyStats> o = p.readBody(encoding, body, (e, n) -> null);
        assertThat(o.isOk()).as("expected an error").isFalse();
        return o.error();
    }

    @Nested
    class Head {
        @Test
        void defaultsAreVictoriaLogsDefaults() {
            IngestParams p = head(null);
            assertThat(p).isEqualTo(IngestParams.defaults());
            assertThat(p.msgFields()).containsExactly("_msg");
            assertThat(p.timeField()).isEqualTo("_time");
            assertThat(p.streamFields()).isEmpty();
            assertThat(p.tenantGiven()).isFalse();
            assertThat(p.encoding()).isEqualTo(ContentEncoding.IDENTITY);
        }

        @Test
        void skulkUrlArgs() {
            IngestParams p = head("_stream_fields=node_id,component&_msg_field=msg&_time_field=ts");
            assertThat(p.msgFields()).containsExactly("msg");
            assertThat(p.timeField()).isEqualTo("ts");
            assertThat(p.streamFields()).containsExactly("node_id", "component");
        }

        @Test
        void everyArg() {
            IngestParams p = head("_msg_field=message,log&_time_field=timestamp&_stream_fields=host,%20app"
                    + "&ignore_fields=secret,trace.*&decolorize_fields=message&extra_fields=env%3Dprod,dc%3Deu%3D1&debug=1"
                    + "&unknown_arg=whatever");
            assertThat(p.msgFields()).containsExactly("message", "log");
            assertThat(p.timeField()).isEqualTo("timestamp");
            assertThat(p.streamFields()).containsExactly("host", "app");
            assertThat(p.ignoreFields()).containsExactly("secret", "trace.*");
            assertThat(p.decolorizeFields()).containsExactly("message");
            assertThat(p.extraFields()).containsExactly(Map.entry("env", "prod"), Map.entry("dc", "eu=1"));
            assertThat(p.debug()).isTrue();
        }

        @Test
        void everyHeader() {
            IngestParams p = head(null, "VL-Msg-Field", "message", "vl-time-field", "timestamp", "VL-Stream-Fields", "host,app",
                    "VL-Ignore-Fields", "secret", "VL-Decolorize-Fields", "message", "VL-Extra-Fields", "env=prod",
                    "VL-Debug", "true");
            assertThat(p.msgFields()).containsExactly("message");
            assertThat(p.timeField()).isEqualTo("timestamp");
            assertThat(p.streamFields()).containsExactly("host", "app");
            assertThat(p.ignoreFields()).containsExactly("secret");
            assertThat(p.decolorizeFields()).containsExactly("message");
            assertThat(p.extraFields()).containsExactly(Map.entry("env", "prod"));
            assertThat(p.debug()).isTrue();
        }

        @Test
        void argWinsOverHeaderAndEmptyArgFallsBackToHeader() {
            IngestParams p = head("_msg_field=from_arg&_time_field=&_stream_fields=a", "VL-Msg-Field", "from_header",
                    "VL-Time-Field", "header_time", "VL-Stream-Fields", "b");
            assertThat(p.msgFields()).containsExactly("from_arg");
            assertThat(p.timeField()).isEqualTo("header_time");
            assertThat(p.streamFields()).containsExactly("a");
        }

        @Test
        void firstOccurrenceOfARepeatedArgWins() {
            assertThat(head("_time_field=a&_time_field=b").timeField()).isEqualTo("a");
        }

        @ParameterizedTest
        @CsvSource(value = {"'',false", "0,false", "f,false", "false,false", "No,false", "FALSE,false", "1,true", "true,true",
            "yes,true", "on,true"})
        void debugFollowsVictoriaLogsBooleans(String value, boolean expected) {
            assertThat(head("debug=" + value).debug()).isEqualTo(expected);
            assertThat(head(null, "VL-Debug", value).debug()).isEqualTo(expected);
        }

        @Test
        void extraFieldsWithoutEqualsOrNameAreRejected() {
            IngestError e = headError("POST", "extra_fields=env");
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.message()).contains("extra_fields").contains("missing '='");
            assertThat(headError("POST", "extra_fields=%3Dvalue").message()).contains("empty field name");
            assertThat(headError("POST", null, "VL-Extra-Fields", "a=1,b").status()).isEqualTo(400);
        }

        @Test
        void badPercentEscapeIs400() {
            IngestError e = headError("POST", "_msg_field=%zz");
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.message()).contains("query string");
        }

        @Test
        void tenantHeaders() {
            IngestParams p = head(null, "AccountID", "12", "ProjectID", "4294967295");
            assertThat(p.accountId()).isEqualTo(12);
            assertThat(p.projectId()).isEqualTo(4294967295L);
            assertThat(p.tenantGiven()).isTrue();
            assertThat(p.tenant()).isEqualTo("12:4294967295");
            IngestParams only = head(null, "projectid", "7");
            assertThat(only.tenant()).isEqualTo("0:7");
            assertThat(only.tenantGiven()).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"-1", "4294967296", "abc", "1.5", "99999999999", "0x10"})
        void badTenantIs400(String value) {
            IngestError account = headError("POST", null, "AccountID", value);
            assertThat(account.status()).isEqualTo(400);
            assertThat(account.message()).contains("AccountID").contains("4294967295");
            assertThat(headError("POST", null, "ProjectID", value).message()).contains("ProjectID");
        }

        @ParameterizedTest
        @CsvSource({"gzip,GZIP", "GZIP,GZIP", "x-gzip,GZIP", "deflate,DEFLATE", "zstd,ZSTD", "identity,IDENTITY", "' ',IDENTITY"})
        void encodings(String header, ContentEncoding expected) {
            assertThat(head(null, "Content-Encoding", header).encoding()).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"snappy", "br", "gzip, deflate", "lz4"})
        void unsupportedEncodingIs400(String header) {
            IngestError e = headError("POST", null, "Content-Encoding", header);
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.message()).contains("Content-Encoding").contains("gzip, deflate, zstd or identity");
        }

        @ParameterizedTest
        @ValueSource(strings = {"application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8",
            "Multipart/Form-Data; boundary=x"})
        void formContentTypeIs415WithAdvice(String contentType) {
            IngestError e = headError("POST", null, "Content-Type", contentType);
            assertThat(e.status()).isEqualTo(415);
            assertThat(e.message()).contains("application/stream+json").contains("silently store nothing");
        }

        @ParameterizedTest
        @ValueSource(strings = {"application/stream+json", "application/x-ndjson", "application/json", "text/plain"})
        void otherContentTypesAreRead(String contentType) {
            assertThat(head(null, "Content-Type", contentType)).isEqualTo(IngestParams.defaults());
        }

        @ParameterizedTest
        @ValueSource(strings = {"GET", "PUT", "HEAD", "DELETE"})
        void nonPostIs405(String method) {
            IngestError e = headError(method, null);
            assertThat(e.status()).isEqualTo(405);
            assertThat(e.message()).contains(method).contains("POST");
        }
    }

    @Nested
    class Auth {
        @Test
        void noTokenConfiguredAcceptsAnything() {
            assertThat(IngestRequestParser.checkAuth(null, null)).isEmpty();
            assertThat(IngestRequestParser.checkAuth("", "Bearer whatever")).isEmpty();
        }

        @Test
        void rightTokenPasses() {
            assertThat(IngestRequestParser.checkAuth(TOKEN, "Bearer " + TOKEN)).isEmpty();
            assertThat(IngestRequestParser.checkAuth(TOKEN, "bearer  " + TOKEN + " ")).isEmpty();
        }

        /** What an HTTP client sends for http://skulk:TOKEN@relay:9429/insert/jsonline: Basic, the token as the password. */
        @Test
        void theTokenAsTheBasicPasswordPasses_anyUser() {
            assertThat(IngestRequestParser.checkAuth(TOKEN, "Basic " + basic("skulk:" + TOKEN))).isEmpty();
            assertThat(IngestRequestParser.checkAuth(TOKEN, "Basic " + basic(":" + TOKEN))).isEmpty();
            assertThat(IngestRequestParser.checkAuth(TOKEN, "Basic " + basic(TOKEN + ":nope"))).get()
                    .isEqualTo(new IngestError(401, "invalid token"));
            assertThat(IngestRequestParser.checkAuth(TOKEN, "Basic " + basic(TOKEN))).get().extracting(IngestError::message).asString()
                    .contains("malformed Basic");
            assertThat(IngestRequestParser.checkAuth(TOKEN, "Basic %%%")).get().extracting(IngestError::message).asString()
                    .contains("malformed Basic");
        }

        private static String basic(String userColonPassword) {
            return java.util.Base64.getEncoder().encodeToString(userColonPassword.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Test
        void missingWrongOrOtherSchemeIs401() {
            assertThat(IngestRequestParser.checkAuth(TOKEN, null)).get().satisfies(e -> {
                assertThat(e.status()).isEqualTo(401);
                assertThat(e.message()).contains("missing Authorization");
            });
            assertThat(IngestRequestParser.checkAuth(TOKEN, "Bearer nope")).get()
                    .isEqualTo(new IngestError(401, "invalid token"));
            assertThat(IngestRequestParser.checkAuth(TOKEN, "Bearer " + TOKEN + "x")).get().extracting(IngestError::status)
                    .isEqualTo(401);
            assertThat(IngestRequestParser.checkAuth(TOKEN, "Basic dXNlcjpwYXNz")).get() // user:pass
                    .isEqualTo(new IngestError(401, "invalid token"));
            assertThat(IngestRequestParser.checkAuth(TOKEN, "Digest x")).get().satisfies(e -> {
                assertThat(e.status()).isEqualTo(401);
                assertThat(e.message()).contains("scheme");
            });
            assertThat(IngestRequestParser.checkAuth(TOKEN, "Bearer")).get().extracting(IngestError::status).isEqualTo(401);
        }

        @Test
        void wholeRequestChecksMethodThenAuthThenHead() {
            byte[] body = utf8("{\"_msg\":\"x\"}\n");
            assertThat(parser.parse("GET", null, headers(), body, TOKEN).error().status()).isEqualTo(405);
            assertThat(parser.parse("POST", null, headers("Content-Type", "application/x-www-form-urlencoded"), body, TOKEN)
                    .error().status()).isEqualTo(401);
            assertThat(parser.parse("POST", null, headers("authorization", "Bearer " + TOKEN,
                    "Content-Type", "application/x-www-form-urlencoded"), body, TOKEN).error().status()).isEqualTo(415);
            Outcome<ParsedRequest> ok = parser.parse("POST", "_msg_field=_msg", headers("Authorization", "Bearer " + TOKEN),
                    body, TOKEN);
            assertThat(ok.error()).isNull();
            assertThat(ok.value().events()).hasSize(1);
        }
    }

    @Nested
    class Body {
        @Test
        void splitsLinesKeepsOrderSkipsBlankLinesAndAcceptsCrlfAndNoFinalNewline() {
            byte[] body = utf8("{\"a\":1}\r\n\n   \n{\"a\":2}\n\t\r\n{\"a\":3}");
            List<LogEvent> out = new ArrayList<>();
            Outcome<BodyStats> o = parser.readBody(ContentEncoding.IDENTITY, body, (e, n) -> {
                out.add(e);
                return null;
            });
            assertThat(out).extracting(e -> e.get("a")).containsExactly(1L, 2L, 3L);
            assertThat(o.value()).isEqualTo(new BodyStats(body.length, 3, 3, 0, 0, 0));
        }

        @Test
        void emptyBodyHasNoLines() {
            assertThat(lines(ContentEncoding.IDENTITY, new byte[0])).isEmpty();
            assertThat(lines(ContentEncoding.GZIP, gzip(new byte[0]))).isEmpty();
        }

        @Test
        void notJsonLinesAreKeptAndFlagged() {
            List<LogEvent> out = lines(ContentEncoding.IDENTITY, utf8("plain text line\n[1,2]\n{\"ok\":true}\n{broken\n"));
            assertThat(out).hasSize(4);
            assertThat(out.get(0).get("msg")).isEqualTo("plain text line");
            assertThat(out.get(0).getText(PipelineFields.PARSE_ERROR)).startsWith("not JSON");
            assertThat(out.get(1).getText(PipelineFields.PARSE_ERROR)).isEqualTo("not a JSON object: array");
            assertThat(out.get(2).has(PipelineFields.PARSE_ERROR)).isFalse();
            assertThat(out.get(3).get("msg")).isEqualTo("{broken");
            Outcome<BodyStats> o = parser.readBody(ContentEncoding.IDENTITY, utf8("x\n{}\n"), (e, n) -> null);
            assertThat(o.value().notJson()).isEqualTo(1);
        }

        @Test
        void invalidUtf8IsReplacedAndFlagged() {
            byte[] body = {'{', '"', 'm', '"', ':', '"', (byte) 0xC3, '"', '}', '\n'};
            List<LogEvent> out = lines(ContentEncoding.IDENTITY, body);
            assertThat(out).hasSize(1);
            assertThat(out.get(0).get(PipelineFields.INVALID_UTF8)).isEqualTo(true);
            assertThat(out.get(0).getText("m")).isEqualTo("\uFFFD");
        }

        @Test
        void gzipDeflateAndZstdBodiesDecode() {
            byte[] text = utf8("{\"_msg\":\"caf\u00e9\"}\n{\"_msg\":\"two\"}\n");
            for (ContentEncoding enc : List.of(ContentEncoding.GZIP, ContentEncoding.DEFLATE, ContentEncoding.ZSTD)) {
                byte[] body = switch (enc) {
                    case GZIP -> gzip(text);
                    case DEFLATE -> deflate(text);
                    case ZSTD -> zstd(text);
                    default -> throw new IllegalStateException();
                };
                assertThat(lines(enc, body)).as(enc.name()).extracting(e -> e.get("_msg")).containsExactly("caf\u00e9", "two");
            }
            assertThat(IngestRequestParser.zstdAvailable()).isTrue();
        }

        @Test
        void concatenatedGzipMembersAreOneBody() {
            byte[] a = gzip(utf8("{\"n\":1}\n{\"n\":"));
            byte[] b = gzip(utf8("2}\n"));
            byte[] both = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, both, a.length, b.length);
            assertThat(lines(ContentEncoding.GZIP, both)).extracting(e -> e.get("n")).containsExactly(1L, 2L);
        }

        @Test
        void linesCrossingDecompressedChunksAreReassembled() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 5000; i++) {
                sb.append("{\"i\":").append(i).append(",\"pad\":\"").append("x".repeat(i % 97)).append("\"}\n");
            }
            byte[] text = utf8(sb.toString());
            assertThat(text.length).isGreaterThan(3 * IngestRequestParser.CHUNK);
            List<LogEvent> out = lines(ContentEncoding.GZIP, gzip(text));
            assertThat(out).hasSize(5000);
            for (int i = 0; i < 5000; i++) {
                assertThat(out.get(i).get("i")).isEqualTo((long) i);
                assertThat(out.get(i).has(PipelineFields.PARSE_ERROR)).isFalse();
            }
        }

        @Test
        void corruptGzipIs400() {
            IngestError e = bodyError(parser, ContentEncoding.GZIP, utf8("definitely not gzip"));
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.message()).contains("cannot decompress").contains("gzip");
        }

        @Test
        void truncatedGzipIs400() {
            byte[] full = gzip(utf8("{\"a\":1}\n".repeat(1000)));
            IngestError e = bodyError(parser, ContentEncoding.GZIP, Arrays.copyOf(full, full.length / 2));
            assertThat(e.status()).isEqualTo(400);
        }

        @Test
        void corruptDeflateAndZstdAre400() {
            assertThat(bodyError(parser, ContentEncoding.DEFLATE, utf8("not zlib at all")).status()).isEqualTo(400);
            assertThat(bodyError(parser, ContentEncoding.ZSTD, utf8("not zstd at all")).status()).isEqualTo(400);
            byte[] z = zstd(utf8("{\"a\":1}\n".repeat(1000)));
            assertThat(bodyError(parser, ContentEncoding.ZSTD, Arrays.copyOf(z, z.length / 2)).status()).isEqualTo(400);
        }

        @Test
        void identityBodyOverTheLimitIs413() {
            IngestRequestParser small = new IngestRequestParser(1000, 1000);
            IngestError e = bodyError(small, ContentEncoding.IDENTITY, new byte[1001]);
            assertThat(e.status()).isEqualTo(413);
            assertThat(e.message()).contains("1000").contains("ingest.max_body_bytes");
            assertThat(small.readBody(ContentEncoding.IDENTITY, utf8("{}\n".repeat(333)), (ev, n) -> null).isOk()).isTrue();
        }

        @Test
        void zipBombsStopAtTheDecompressedLimitWithoutReadingTheRest() {
            IngestRequestParser p = new IngestRequestParser(1 << 20, 1024);
            byte[] gz = bomb(256L << 20, GZIPOutputStream::new);
            assertThat(gz.length).isLessThan(1 << 20); // ~256 KiB compressed, 256 MiB decompressed
            long[] consumed = {0};
            Outcome<BodyStats> o = p.readBody(ContentEncoding.GZIP, gz, (e, n) -> {
                consumed[0]++;
                return null;
            });
            assertThat(o.error().status()).isEqualTo(413);
            assertThat(o.error().message()).contains("after decompression");
            assertThat(consumed[0]).as("nothing handed over: the only line is longer than the body limit").isZero();

            assertThat(bodyError(p, ContentEncoding.DEFLATE, bomb(64L << 20, DeflaterOutputStream::new)).status()).isEqualTo(413);
            assertThat(bodyError(p, ContentEncoding.ZSTD, bomb(64L << 20, ZstdOutputStream::new)).status()).isEqualTo(413);
        }

        @Test
        void bombOfManyLinesStopsAtTheLimitToo() {
            IngestRequestParser p = new IngestRequestParser(100_000, 1024);
            byte[] body = gzip(utf8("{}\n".repeat(200_000)));
            long[] seen = {0};
            Outcome<BodyStats> o = p.readBody(ContentEncoding.GZIP, body, (e, n) -> {
                seen[0]++;
                return null;
            });
            assertThat(o.error().status()).isEqualTo(413);
            assertThat(seen[0]).isLessThanOrEqualTo(100_000 / 3 + IngestRequestParser.CHUNK / 3);
        }

        @Test
        void overLongLinesAreKeptTruncatedAndFlagged() {
            IngestRequestParser p = new IngestRequestParser(1 << 20, 100);
            String longLine = "{\"msg\":\"" + "\u00e9".repeat(200) + "\"}";
            byte[] body = utf8("{\"a\":1}\n" + longLine + "\n{\"a\":2}\n");
            for (ContentEncoding enc : List.of(ContentEncoding.IDENTITY, ContentEncoding.GZIP)) {
                List<LogEvent> out = new ArrayList<>();
                Outcome<BodyStats> o = p.readBody(enc, enc == ContentEncoding.GZIP ? gzip(body) : body, (e, n) -> {
                    out.add(e);
                    return null;
                });
                assertThat(o.value().truncated()).isEqualTo(1);
                assertThat(o.value().lines()).isEqualTo(3);
                assertThat(out).hasSize(3);
                LogEvent t = out.get(1);
                int longLength = utf8(longLine).length;
                assertThat(t.get(PipelineFields.TRUNCATED_FROM_BYTES)).isEqualTo((long) longLength);
                assertThat(t.getText(PipelineFields.PARSE_ERROR)).contains("ingest.max_line_bytes").contains("100");
                String kept = t.getText("msg");
                assertThat(longLine).startsWith(kept);
                assertThat(utf8(kept).length).isBetween(98, 100); // cut at a character boundary
                assertThat(t.has(PipelineFields.INVALID_UTF8)).isFalse();
                assertThat(out.get(2).get("a")).isEqualTo(2L);
            }
        }

        @Test
        void consumerErrorStopsReading() {
            int[] calls = {0};
            Outcome<BodyStats> o = parser.readBody(ContentEncoding.IDENTITY, utf8("{}\n{}\n{}\n"), (e, n) -> {
                calls[0]++;
                return calls[0] == 2 ? new IngestError(413, "enough") : null;
            });
            assertThat(o.error()).isEqualTo(new IngestError(413, "enough"));
            assertThat(calls[0]).isEqualTo(2);
        }

        @Test
        void utf8BoundaryNeverSplitsACharacter() {
            byte[] b = utf8("ab\u00e9\u20ac\uD83D\uDE00");
            // a b | C3 A9 | E2 82 AC | F0 9F 98 80
            assertThat(IngestRequestParser.utf8Boundary(b, 0, 3)).isEqualTo(2);
            assertThat(IngestRequestParser.utf8Boundary(b, 0, 4)).isEqualTo(4);
            assertThat(IngestRequestParser.utf8Boundary(b, 0, 6)).isEqualTo(4);
            assertThat(IngestRequestParser.utf8Boundary(b, 0, 7)).isEqualTo(7);
            assertThat(IngestRequestParser.utf8Boundary(b, 0, 10)).isEqualTo(7);
            assertThat(IngestRequestParser.utf8Boundary(b, 0, 11)).isEqualTo(11);
        }

        @Test
        void bomOnTheFirstLineIsIgnored() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
            out.writeBytes(utf8("{\"a\":1}\n"));
            assertThat(lines(ContentEncoding.IDENTITY, out.toByteArray())).extracting(e -> e.get("a")).containsExactly(1L);
        }
    }
}
