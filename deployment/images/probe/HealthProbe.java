import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The container health check of the skulk-logs image: {@code GET URL}, exit 0 on a 2xx answer, 1 otherwise
 * (the image is FROM scratch and has no shell, curl or wget). Uses only java.base, so it starts in well
 * under a second; compiled into the image by deployment/images/stage-runtime.sh.
 *
 * <p>Usage: {@code java -cp /opt/skulk-logs/probe HealthProbe http://127.0.0.1:8688/health}
 */
public final class HealthProbe {
    private HealthProbe() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: HealthProbe URL");
            System.exit(2);
        }
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(args[0]).toURL().openConnection();
            c.setConnectTimeout(2_000);
            c.setReadTimeout(3_000);
            int status = c.getResponseCode();
            System.out.println(args[0] + " -> " + status);
            System.exit(status / 100 == 2 ? 0 : 1);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println(args[0] + " -> " + e);
            System.exit(1);
        }
    }
}
