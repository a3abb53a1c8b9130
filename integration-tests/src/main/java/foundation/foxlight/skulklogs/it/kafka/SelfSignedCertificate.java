package foundation.foxlight.skulklogs.it.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost} / {@code 127.0.0.1}, made at test time with the running JDK's
 * {@code keytool}: the server's PKCS12 keystore, the certificate as a PEM file (a PEM truststore for clients) and
 * a PKCS12 truststore holding it. Blocking (runs keytool three times).
 *
 * @param keystore           PKCS12 keystore with the private key and the certificate (alias {@code server})
 * @param keystorePassword   its password (also the key's)
 * @param certificatePem     the certificate, PEM
 * @param truststore         PKCS12 truststore holding only the certificate
 * @param truststorePassword its password
 */
public record SelfSignedCertificate(Path keystore, String keystorePassword, Path certificatePem, Path truststore, String truststorePassword) {

    /** Creates the files in {@code dir}, valid for two days. */
    public static SelfSignedCertificate create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        SelfSignedCertificate c = new SelfSignedCertificate(dir.resolve("server.p12"), "server-store-pw", dir.resolve("ca.pem"),
                dir.resolve("trust.p12"), "trust-store-pw");
        keytool(dir, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", c.keystore.toString(),
                "-storepass", c.keystorePassword, "-keypass", c.keystorePassword);
        keytool(dir, "-exportcert", "-rfc", "-alias", "server", "-keystore", c.keystore.toString(), "-storepass", c.keystorePassword,
                "-file", c.certificatePem.toString());
        keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", c.certificatePem.toString(), "-storetype", "PKCS12",
                "-keystore", c.truststore.toString(), "-storepass", c.truststorePassword);
        return c;
    }

    /**
     * The key of {@link #keystore()} as an unencrypted PKCS#8 PEM file ({@code -----BEGIN PRIVATE KEY-----}) in
     * {@code file}: with {@link #certificatePem()} a client identity for mutual TLS against a broker that trusts
     * {@link #truststore()}. keytool cannot export private keys, so the keystore is read here.
     */
    public Path privateKeyPem(Path file) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            ks.load(in, keystorePassword.toCharArray());
        }
        Key key = ks.getKey("server", keystorePassword.toCharArray());
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        return Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }

    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Path out = dir.resolve("keytool.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool " + args[0] + " failed: " + Files.readString(out, StandardCharsets.UTF_8));
        }
    }
}
