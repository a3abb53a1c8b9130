package foundation.foxlight.skulklogs.it.victorialogs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import foundation.foxlight.skulklogs.it.pipeline.MetricsPage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The VictoriaLogs an integration test talks to, and a small client for it. {@link #start()} picks, in order:
 * <ol>
 *   <li>the server at {@code $VICTORIALOGS_URL} when that is set ({@link Kind#REAL_URL}; it must answer
 *       {@code /health});</li>
 *   <li>a container of the pinned image {@value #IMAGE} when a Docker engine is reachable ({@link Kind#CONTAINER});</li>
 *   <li>the in-process {@link VictoriaLogsStandIn} otherwise ({@link Kind#STAND_IN}).</li>
 * </ol>
 * Tests that need fault injection take {@link #standIn()} and skip, with
 * {@code Assumptions.assumeTrue(endpoint.standIn().isPresent(), ...)}, when the server is a real one.
 *
 * <p>A real server may be shared with other tests and earlier runs: tests write and query under their own
 * {@link Tenant#random() random tenant} so they only ever see their own rows.
 *
 * <p>Thread-safe; the query methods block the calling thread (never call them on a Vert.x event loop).
 * {@link #close()} stops what this endpoint started (container or stand-in), never a server given by URL.
 */
public final class VictoriaLogsEndpoint implements AutoCloseable {
    /** Where the endpoint came from. */
    public enum Kind {
        /** A running server named by {@code $VICTORIALOGS_URL}. */
        REAL_URL,
        /** A container of {@link #IMAGE} started by Testcontainers. */
        CONTAINER,
        /** The in-process {@link VictoriaLogsStandIn}. */
        STAND_IN
    }

    /** The environment variable naming a running VictoriaLogs, e.g. {@code http://127.0.0.1:9428}. */
    public static final String URL_ENV = "VICTORIALOGS_URL";
    /** The pinned image (v1.25.0 and later are tagged without the old {@code -victorialogs} suffix). */
    public static final String IMAGE = "victoriametrics/victoria-logs:v1.26.0";
    /** The row limit passed with every query; a result this long is refused as possibly truncated. */
    public static final int QUERY_LIMIT = 1_000_000;

    private static final Logger LOG = LoggerFactory.getLogger(VictoriaLogsEndpoint.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> ROW = new TypeReference<>() {
    };
    private static final int CONTAINER_PORT = 9428;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static volatile Boolean dockerAvailable;

    private final Kind kind;
    private final String baseUrl;
    private final VictoriaLogsStandIn standIn;
    private final GenericContainer<?> container;
    private final HttpClient http;

    private VictoriaLogsEndpoint(Kind kind, String baseUrl, VictoriaLogsStandIn standIn, GenericContainer<?> container) {
        this.kind = kind;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.standIn = standIn;
        this.container = container;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The endpoint for this environment: {@code $VICTORIALOGS_URL}, else a container, else the stand-in. */
    public static VictoriaLogsEndpoint start() {
        String url = System.getenv(URL_ENV);
        if (url != null && !url.isBlank()) {
            return connect(url.trim());
        }
        if (isDockerAvailable()) {
            return startContainer();
        }
        LOG.info("no ${} and {}; using the in-process VictoriaLogs stand-in", URL_ENV, dockerUnavailableReason());
        return startStandIn();
    }

    /** A real server at {@code url}, checked with {@code GET /health}. */
    public static VictoriaLogsEndpoint connect(String url) {
        VictoriaLogsEndpoint e = new VictoriaLogsEndpoint(Kind.REAL_URL, url, null, null);
        HttpResponse<String> health = e.send(HttpRequest.newBuilder(URI.create(e.baseUrl + "/health")).timeout(TIMEOUT).GET().build());
        if (health.statusCode() != 200 || !health.body().trim().equals("OK")) {
            throw new IllegalStateException("VictoriaLogs at " + url + " is not healthy: GET /health answered "
                    + health.statusCode() + " " + health.body());
        }
        LOG.info("using the VictoriaLogs at {} (${})", e.baseUrl, URL_ENV);
        return e;
    }

    /**
     * A fresh container of {@link #IMAGE}, with 90 days of retention like the stand-in.
     *
     * @throws IllegalStateException when no Docker engine is reachable
     */
    public static VictoriaLogsEndpoint startContainer() {
        if (!isDockerAvailable()) {
            throw new IllegalStateException(dockerUnavailableReason());
        }
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withExposedPorts(CONTAINER_PORT)
                .withCommand("-storageDataPath=/victoria-logs-data", "-retentionPeriod=90d", "-futureRetention=2d")
                .waitingFor(Wait.forHttp("/health").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(2)));
        c.start();
        String url = "http://" + c.getHost() + ":" + c.getMappedPort(CONTAINER_PORT);
        LOG.info("started {} at {}", IMAGE, url);
        return new VictoriaLogsEndpoint(Kind.CONTAINER, url, null, c);
    }

    /** A fresh stand-in with default settings. */
    public static VictoriaLogsEndpoint startStandIn() {
        return startStandIn(VictoriaLogsStandIn.builder());
    }

    /** A fresh stand-in with the given settings (the builder's port is used as given; 0 for ephemeral). */
    public static VictoriaLogsEndpoint startStandIn(VictoriaLogsStandIn.Builder settings) {
        VictoriaLogsStandIn s = settings.build();
        String url = s.start();
        return new VictoriaLogsEndpoint(Kind.STAND_IN, url, s, null);
    }

    /** Whether Testcontainers can reach a Docker engine (asked once per JVM). */
    public static boolean isDockerAvailable() {
        Boolean known = dockerAvailable;
        if (known == null) {
            boolean available;
            try {
                available = DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                LOG.info("Docker detection failed: {}", e.toString());
                available = false;
            }
            dockerAvailable = known = available;
        }
        return known;
    }

    /** Why there is no container, for skip messages. */
    public static String dockerUnavailableReason() {
        String dockerHost = System.getenv("DOCKER_HOST");
        return "Docker engine not available to Testcontainers (DOCKER_HOST=" + (dockerHost == null ? "unset" : dockerHost)
                + ", /var/run/docker.sock " + (Files.exists(Path.of("/var/run/docker.sock")) ? "exists" : "missing") + ")";
    }

    /** {@code http://host:port}, without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    /** {@code baseUrl() + "/insert/jsonline"}. */
    public String insertUrl() {
        return baseUrl + "/insert/jsonline";
    }

    /** Whether this is a server given by URL, a container, or the stand-in. */
    public Kind kind() {
        return kind;
    }

    /** The stand-in, for fault injection and drop counters; empty for a real server. */
    public Optional<VictoriaLogsStandIn> standIn() {
        return Optional.ofNullable(standIn);
    }

    /** Makes every row ingested so far searchable ({@code GET /internal/force_flush}). */
    public void forceFlush() {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(baseUrl + "/internal/force_flush")).timeout(TIMEOUT).GET().build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /internal/force_flush answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** {@link #query(Tenant, String)} in the default tenant. */
    public List<Map<String, String>> query(String logsql) {
        return query(Tenant.DEFAULT, logsql);
    }

    /**
     * Flushes, then runs a LogsQL query in a tenant with {@code limit=}{@value #QUERY_LIMIT}.
     *
     * @return every matching row as field name to value (all values strings, {@code _time} included), sorted by
     *     {@code _time}, oldest first
     * @throws IllegalStateException when the server does not answer 200, or the result may be truncated
     */
    public List<Map<String, String>> query(Tenant tenant, String logsql) {
        forceFlush();
        String form = "query=" + URLEncoder.encode(logsql, StandardCharsets.UTF_8) + "&limit=" + QUERY_LIMIT;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/select/logsql/query"))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        withTenant(b, tenant);
        HttpResponse<String> r = send(b.build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("query [" + logsql + "] in tenant " + tenant + " answered " + r.statusCode() + ": " + r.body());
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                Map<String, Object> raw = MAPPER.readValue(line, ROW);
                Map<String, String> row = new LinkedHashMap<>();
                raw.forEach((k, v) -> row.put(k, v == null ? null : String.valueOf(v)));
                rows.add(Collections.unmodifiableMap(row));
            } catch (IOException e) {
                throw new IllegalStateException("query [" + logsql + "] answered a line that is not JSON: " + line, e);
            }
        }
        if (rows.size() >= QUERY_LIMIT) {
            throw new IllegalStateException("query [" + logsql + "] hit the limit of " + QUERY_LIMIT + " rows; narrow it");
        }
        rows.sort(Comparator.comparing(row -> timeOf(row), Comparator.nullsLast(Comparator.naturalOrder())));
        return rows;
    }

    /** The number of rows matching a LogsQL query in the default tenant (flushes first). */
    public long count(String logsql) {
        return query(logsql).size();
    }

    /** The number of rows matching a LogsQL query in a tenant (flushes first). */
    public long count(Tenant tenant, String logsql) {
        return query(tenant, logsql).size();
    }

    /**
     * Sends a {@code /insert/jsonline} request with {@code Content-Type: application/stream+json}.
     *
     * @param queryArgs the query string without {@code ?} (e.g. {@code _stream_fields=a,b&_msg_field=m}), or empty
     * @return the response, whatever its status
     */
    public HttpResponse<String> insert(Tenant tenant, String queryArgs, String ndjson) {
        String uri = insertUrl() + (queryArgs == null || queryArgs.isEmpty() ? "" : "?" + queryArgs);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/stream+json")
                .POST(HttpRequest.BodyPublishers.ofString(ndjson));
        withTenant(b, tenant);
        return send(b.build());
    }

    /** The {@code /metrics} page. */
    public String metricsText() {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(baseUrl + "/metrics")).timeout(TIMEOUT).GET().build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /metrics answered " + r.statusCode());
        }
        return r.body();
    }

    /** The sum of every series of a metric (any labels) on {@code /metrics}; 0 when absent. */
    public double metricSum(String metricName) {
        return MetricsPage.of(metricsText()).sum(metricName, "");
    }

    /** Stops the container or stand-in this endpoint started. Idempotent. */
    @Override
    public void close() {
        if (standIn != null) {
            standIn.close();
        }
        if (container != null) {
            container.stop();
        }
    }

    @Override
    public String toString() {
        return kind + " " + baseUrl;
    }

    private static Instant timeOf(Map<String, String> row) {
        String t = row.get("_time");
        return t == null ? null : Instant.parse(t);
    }

    private static void withTenant(HttpRequest.Builder b, Tenant tenant) {
        if (!tenant.isDefault()) {
            b.header("AccountID", Long.toString(tenant.accountId())).header("ProjectID", Long.toString(tenant.projectId()));
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request.method() + " " + request.uri(), e);
        }
    }
}
