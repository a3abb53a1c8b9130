package foundation.foxlight.skulklogs.it.victorialogs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/** Plain HTTP for the VictoriaLogs tests: no Vert.x, so the same calls work against any server. */
final class TestHttp {
    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TestHttp() {
    }

    static HttpResponse<String> send(HttpRequest r) {
        try {
            return CLIENT.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> get(String url) {
        return send(getRequest(url));
    }

    static HttpRequest getRequest(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build();
    }

    /** Sends on a new client, so no pooled connection hides a refused one. */
    static HttpResponse<String> sendFresh(HttpRequest r) {
        HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        try {
            return fresh.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POST with the given headers (name, value, name, value, ...); the tenant's headers added unless default. */
    static HttpResponse<String> post(String url, Tenant tenant, byte[] body, String... headers) {
        return send(postRequest(url, tenant, body, TIMEOUT, headers));
    }

    static HttpRequest postRequest(String url, Tenant tenant, byte[] body, Duration timeout, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        if (tenant != null && !tenant.isDefault()) {
            b.header("AccountID", Long.toString(tenant.accountId())).header("ProjectID", Long.toString(tenant.projectId()));
        }
        return b.build();
    }

    /** A raw {@code /select/logsql/query} (no flush, no sorting) with extra form args (name, value, ...). */
    static HttpResponse<String> query(String baseUrl, Tenant tenant, String logsql, String... args) {
        StringBuilder form = new StringBuilder("query=").append(URLEncoder.encode(logsql, StandardCharsets.UTF_8));
        for (int i = 0; i < args.length; i += 2) {
            form.append('&').append(args[i]).append('=').append(URLEncoder.encode(args[i + 1], StandardCharsets.UTF_8));
        }
        return post(baseUrl + "/select/logsql/query", tenant, form.toString().getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded");
    }

    /** The non-blank lines of a body. */
    static List<String> lines(String body) {
        List<String> out = new ArrayList<>();
        for (String l : body.split("\n")) {
            if (!l.isBlank()) {
                out.add(l);
            }
        }
        return out;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(utf8(s));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** HTTP {@code deflate}: the zlib format. */
    static byte[] zlib(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
            z.write(utf8(s));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] zstd(String s) {
        return com.github.luben.zstd.Zstd.compress(utf8(s));
    }
}
