package foundation.foxlight.skulklogs.it.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A service's Prometheus {@code /metrics} page, scraped over HTTP (the agent and relay as OS processes). Blocking.
 */
public final class MetricsPage {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String text;

    private MetricsPage(String text) {
        this.text = text;
    }

    /** Scrapes {@code baseUrl + "/metrics"}. */
    public static MetricsPage scrape(String baseUrl) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/metrics")).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + request.uri() + " answered " + r.statusCode());
            }
            return new MetricsPage(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A page from text (tests). */
    public static MetricsPage of(String text) {
        return new MetricsPage(text);
    }

    /** The sum of every series of {@code name} whose labels contain {@code labelFilter} (e.g. {@code reason="buffer_full"}, or ""); 0 when absent. */
    public double sum(String name, String labelFilter) {
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int sp = line.lastIndexOf(' ');
            String series = line.substring(0, sp);
            int brace = series.indexOf('{');
            String metric = brace < 0 ? series : series.substring(0, brace);
            if (metric.equals(name) && (labelFilter.isEmpty() || (brace >= 0 && series.substring(brace).contains(labelFilter)))) {
                sum += Double.parseDouble(line.substring(sp + 1));
            }
        }
        return sum;
    }

    /** {@link #sum(String, String)} of every series of {@code name}, as a whole number. */
    public long count(String name) {
        return (long) sum(name, "");
    }

    @Override
    public String toString() {
        return text;
    }
}
