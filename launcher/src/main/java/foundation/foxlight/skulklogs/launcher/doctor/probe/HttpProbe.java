package foundation.foxlight.skulklogs.launcher.doctor.probe;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * {@code GET url} with a connect and a response timeout, answering an {@link Answer} or the reason there is
 * none. Blocking; thread-safe (one JDK {@link HttpClient} shared by every call).
 */
public final class HttpProbe {
    private final HttpClient client;
    private final Duration timeout;

    public HttpProbe(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * A response.
     *
     * @param status   HTTP status code
     * @param body     the body as text
     * @param date     the server's {@code Date} header, when it sent one
     * @param sent     local time just before the request was sent
     * @param received local time the response arrived
     */
    public record Answer(int status, String body, Optional<Instant> date, Instant sent, Instant received) {
    }

    /** Either an answer or why there was none ({@code error}: a sentence such as "connection refused"). */
    public record Result(URI uri, Answer answer, String error) {
        public boolean answered() {
            return answer != null;
        }
    }

    public Result get(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        Instant sent = Instant.now();
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            Instant received = Instant.now();
            return new Result(uri, new Answer(r.statusCode(), r.body(), r.headers().firstValue("Date").flatMap(HttpProbe::parseDate),
                    sent, received), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(uri, null, "interrupted");
        } catch (IOException | RuntimeException e) {
            return new Result(uri, null, describe(e));
        }
    }

    private String describe(Exception e) {
        if (e instanceof HttpConnectTimeoutException || e instanceof HttpTimeoutException) {
            return "no answer within " + timeout.toMillis() / 1000.0 + " s";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "cannot resolve host";
            }
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    }

    private static Optional<Instant> parseDate(String value) {
        try {
            return Optional.of(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
