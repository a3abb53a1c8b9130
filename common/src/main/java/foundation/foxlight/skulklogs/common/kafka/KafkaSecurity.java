package foundation.foxlight.skulklogs.common.kafka;

import foundation.foxlight.skulklogs.common.config.ConfigReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * How a Kafka client authenticates and encrypts: the typed {@code kafka.security.*}, {@code kafka.sasl.*} and
 * {@code kafka.tls.*} settings of the agent and the relay, validated once ({@link #read}) and turned into Kafka
 * client properties in one place ({@link #clientProperties()}), which {@link KafkaClients} gives every client
 * (producer, consumer, admin).
 *
 * <p>{@link #none()} (no {@code kafka.security.protocol}) adds nothing: Kafka's default (PLAINTEXT), or whatever
 * {@code kafka.properties} passes through, applies. {@link #toString()} never shows a password. Immutable.
 *
 * @param protocol           the security protocol; null for {@link #none()}
 * @param saslMechanism      with a SASL protocol: the mechanism; else null
 * @param username           with a SASL protocol: the user; else null
 * @param password           with a SASL protocol: the password; else null
 * @param truststore         CA certificates to trust (PEM file, JKS or PKCS12); null: the JVM's default trust store
 * @param truststoreType     the truststore's format; null without a truststore
 * @param truststorePassword the password of a JKS/PKCS12 truststore, or null
 * @param clientCertificate  PEM certificate chain presented to the broker (mutual TLS), or null
 * @param clientKey          the PKCS#8 PEM private key of {@code clientCertificate}, or null
 * @param clientKeyPassword  the password of an encrypted {@code clientKey}, or null
 * @param verifyHostname     whether the broker's certificate must name the host connected to
 */
public record KafkaSecurity(Protocol protocol, SaslMechanism saslMechanism, String username, String password, Path truststore,
        StoreType truststoreType, String truststorePassword, Path clientCertificate, Path clientKey, String clientKeyPassword,
        boolean verifyHostname) {

    /** Kafka's {@code security.protocol} values. */
    public enum Protocol {
        PLAINTEXT(false, false), SSL(true, false), SASL_PLAINTEXT(false, true), SASL_SSL(true, true);

        private final boolean tls;
        private final boolean sasl;

        Protocol(boolean tls, boolean sasl) {
            this.tls = tls;
            this.sasl = sasl;
        }

        public boolean tls() {
            return tls;
        }

        public boolean sasl() {
            return sasl;
        }
    }

    /** The SASL mechanisms skulk-logs configures, with the login module each needs. */
    public enum SaslMechanism {
        PLAIN("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule"),
        SCRAM_SHA_256("SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule"),
        SCRAM_SHA_512("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule");

        private final String kafkaName;
        private final String loginModule;

        SaslMechanism(String kafkaName, String loginModule) {
            this.kafkaName = kafkaName;
            this.loginModule = loginModule;
        }

        /** The name Kafka uses ({@code SCRAM-SHA-512}). */
        public String kafkaName() {
            return kafkaName;
        }
    }

    /** Truststore formats ({@code ssl.truststore.type}). */
    public enum StoreType {
        PEM, JKS, PKCS12;

        /** By file name: {@code .pem/.crt/.cer} are PEM, {@code .jks} is JKS, anything else PKCS12. */
        static StoreType byExtension(Path file) {
            String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".cer")) {
                return PEM;
            }
            return name.endsWith(".jks") ? JKS : PKCS12;
        }
    }

    private static final KafkaSecurity NONE = new KafkaSecurity(null, null, null, null, null, null, null, null, null, null, true);
    private static final String HIDDEN = "[hidden]";

    /** No typed security: nothing is added to the client properties. */
    public static KafkaSecurity none() {
        return NONE;
    }

    /** True when {@code kafka.security.protocol} was given. */
    public boolean configured() {
        return protocol != null;
    }

    /**
     * Reads and validates {@code <section>.security.protocol}, {@code <section>.sasl.*} and {@code <section>.tls.*},
     * recording every problem on {@code r} with its key path. Settings that contradict the protocol (SASL
     * credentials without a SASL protocol, TLS files without TLS), missing credentials, unreadable files and Kafka
     * properties also given through {@code passThrough} ({@code kafka.properties}) are problems.
     *
     * @param passThrough the operator's pass-through client properties, checked for keys this would set too
     * @return the settings ({@link #none()} when no protocol is given); meaningful only when {@code r} has no problems
     */
    public static KafkaSecurity read(ConfigReader r, String section, Map<String, String> passThrough) {
        String protocolKey = section + ".security.protocol";
        String mechanismKey = section + ".sasl.mechanism";
        String userKey = section + ".sasl.username";
        String passwordKey = section + ".sasl.password";
        String truststoreKey = section + ".tls.truststore";
        String truststoreTypeKey = section + ".tls.truststore_type";
        String truststorePasswordKey = section + ".tls.truststore_password";
        String certKey = section + ".tls.client_cert";
        String keyKey = section + ".tls.client_key";
        String keyPasswordKey = section + ".tls.client_key_password";
        String verifyKey = section + ".tls.verify_hostname";

        Protocol protocol = r.enumValue(protocolKey, Protocol.class, null);
        String mechanismText = r.string(mechanismKey, null);
        String username = r.string(userKey, null);
        String password = r.string(passwordKey, null);
        String truststoreText = r.string(truststoreKey, null);
        StoreType truststoreType = r.enumValue(truststoreTypeKey, StoreType.class, null);
        String truststorePassword = r.string(truststorePasswordKey, null);
        String certText = r.string(certKey, null);
        String keyText = r.string(keyKey, null);
        String keyPassword = r.string(keyPasswordKey, null);
        boolean verifyHostname = r.bool(verifyKey, true);

        List<String> saslKeys = given(r, mechanismKey, userKey, passwordKey);
        List<String> tlsKeys = given(r, truststoreKey, truststoreTypeKey, truststorePasswordKey, certKey, keyKey, keyPasswordKey, verifyKey);
        if (protocol == null) {
            if (!r.has(protocolKey) && (!saslKeys.isEmpty() || !tlsKeys.isEmpty())) {
                r.problem(protocolKey, "must be set (plaintext, ssl, sasl_plaintext or sasl_ssl) when "
                        + String.join(", ", concat(saslKeys, tlsKeys)) + " is given");
            }
            return NONE;
        }
        SaslMechanism mechanism = null;
        if (protocol.sasl()) {
            mechanism = mechanism(r, mechanismKey, mechanismText);
            if (username == null || username.isBlank()) {
                r.problem(userKey, "required with " + protocolKey + " " + name(protocol));
            }
            if (password == null || password.isEmpty()) {
                r.problem(passwordKey, "required with " + protocolKey + " " + name(protocol));
            }
        } else {
            for (String k : saslKeys) {
                r.problem(k, "only used with " + protocolKey + " sasl_plaintext or sasl_ssl, not " + name(protocol));
            }
        }
        Path truststore = null;
        Path cert = null;
        Path key = null;
        if (protocol.tls()) {
            if (truststoreText != null) {
                truststore = readableFile(r, truststoreKey, truststoreText);
                truststoreType = truststoreType != null ? truststoreType : StoreType.byExtension(Path.of(truststoreText));
                if (truststoreType == StoreType.PEM && truststorePassword != null) {
                    r.problem(truststorePasswordKey, "a PEM truststore has no password");
                }
            } else {
                for (String k : given(r, truststoreTypeKey, truststorePasswordKey)) {
                    r.problem(k, "only used with " + truststoreKey);
                }
            }
            if ((certText == null) != (keyText == null)) {
                r.problem(certText == null ? certKey : keyKey, "required with " + (certText == null ? keyKey : certKey)
                        + " (mutual TLS needs both the certificate and its key)");
            }
            if (certText != null && keyText != null) {
                cert = pemFile(r, certKey, certText, "CERTIFICATE");
                key = pemFile(r, keyKey, keyText, "PRIVATE KEY");
            } else if (keyPassword != null) {
                r.problem(keyPasswordKey, "only used with " + keyKey);
            }
        } else {
            for (String k : tlsKeys) {
                r.problem(k, "only used with " + protocolKey + " ssl or sasl_ssl, not " + name(protocol));
            }
        }
        KafkaSecurity s = new KafkaSecurity(protocol, mechanism, protocol.sasl() ? username : null, protocol.sasl() ? password : null,
                truststore, truststore == null ? null : truststoreType, truststore == null ? null : truststorePassword, cert, key,
                key == null ? null : keyPassword, verifyHostname);
        for (String k : s.propertyNames()) {
            if (passThrough.containsKey(k)) {
                r.problem(section + ".properties." + k, "also set by the " + section + ".security/sasl/tls settings; give it in one place");
            }
        }
        return s;
    }

    /**
     * The Kafka client properties for these settings ({@code security.protocol}, {@code sasl.mechanism},
     * {@code sasl.jaas.config}, {@code ssl.*}); empty for {@link #none()}. Reads the client certificate and key files.
     *
     * @throws UncheckedIOException when a certificate or key file cannot be read any more
     */
    public Map<String, String> clientProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        if (protocol == null) {
            return p;
        }
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol.name());
        if (protocol.sasl()) {
            p.put(SaslConfigs.SASL_MECHANISM, saslMechanism.kafkaName());
            p.put(SaslConfigs.SASL_JAAS_CONFIG, saslMechanism.loginModule + " required username=" + jaasQuote(username) + " password="
                    + jaasQuote(password) + ";");
        }
        if (protocol.tls()) {
            if (truststore != null) {
                p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, truststoreType.name());
                p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore.toString());
                if (truststorePassword != null) {
                    p.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, truststorePassword);
                }
            }
            if (clientCertificate != null) {
                p.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
                p.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, read(clientCertificate));
                p.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, read(clientKey));
                if (clientKeyPassword != null) {
                    p.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, clientKeyPassword);
                }
            }
            p.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, verifyHostname ? "https" : "");
        }
        return p;
    }

    /** The property names {@link #clientProperties()} sets, without reading any file. */
    List<String> propertyNames() {
        List<String> names = new ArrayList<>();
        if (protocol == null) {
            return names;
        }
        names.add(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
        if (protocol.sasl()) {
            names.addAll(List.of(SaslConfigs.SASL_MECHANISM, SaslConfigs.SASL_JAAS_CONFIG));
        }
        if (protocol.tls()) {
            if (truststore != null) {
                names.addAll(List.of(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG));
                if (truststorePassword != null) {
                    names.add(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG);
                }
            }
            if (clientCertificate != null) {
                names.addAll(List.of(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG,
                        SslConfigs.SSL_KEYSTORE_KEY_CONFIG));
                if (clientKeyPassword != null) {
                    names.add(SslConfigs.SSL_KEY_PASSWORD_CONFIG);
                }
            }
            names.add(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG);
        }
        return names;
    }

    /** Every setting except the passwords, which show as {@value #HIDDEN}. */
    @Override
    public String toString() {
        if (protocol == null) {
            return "KafkaSecurity[none]";
        }
        return "KafkaSecurity[protocol=" + protocol + ", saslMechanism=" + (saslMechanism == null ? null : saslMechanism.kafkaName())
                + ", username=" + username + ", password=" + hidden(password) + ", truststore=" + truststore + ", truststoreType="
                + truststoreType + ", truststorePassword=" + hidden(truststorePassword) + ", clientCertificate=" + clientCertificate
                + ", clientKey=" + clientKey + ", clientKeyPassword=" + hidden(clientKeyPassword) + ", verifyHostname=" + verifyHostname + "]";
    }

    private static String hidden(String secret) {
        return secret == null ? null : HIDDEN;
    }

    private static SaslMechanism mechanism(ConfigReader r, String key, String text) {
        if (text == null) {
            return SaslMechanism.SCRAM_SHA_512;
        }
        for (SaslMechanism m : SaslMechanism.values()) {
            if (m.kafkaName().equalsIgnoreCase(text.trim())) {
                return m;
            }
        }
        r.problem(key, "must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, got '" + text + "'");
        return SaslMechanism.SCRAM_SHA_512;
    }

    private static Path readableFile(ConfigReader r, String key, String text) {
        Path p = Path.of(text);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            r.problem(key, "cannot read the file '" + text + "'");
        }
        return p;
    }

    /** A readable PEM file holding a {@code -----BEGIN <what>} block (for keys: PKCS#8, plain or encrypted). */
    private static Path pemFile(ConfigReader r, String key, String text, String what) {
        Path p = readableFile(r, key, text);
        if (!Files.isReadable(p)) {
            return p;
        }
        try {
            String pem = Files.readString(p, StandardCharsets.US_ASCII);
            boolean ok = what.equals("PRIVATE KEY")
                    ? pem.contains("-----BEGIN PRIVATE KEY-----") || pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
                    : pem.contains("-----BEGIN " + what + "-----");
            if (!ok) {
                r.problem(key, what.equals("PRIVATE KEY")
                        ? "must be a PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----); convert with: openssl pkcs8 -topk8 -nocrypt -in KEY"
                        : "must be a PEM file with -----BEGIN " + what + "-----");
            }
        } catch (IOException | RuntimeException e) {
            r.problem(key, "cannot read the file '" + text + "': " + e);
        }
        return p;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** A JAAS option value: double-quoted, with {@code \} and {@code "} escaped (JAAS reads quoted strings with escapes). */
    static String jaasQuote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String name(Protocol p) {
        return p.name().toLowerCase(Locale.ROOT);
    }

    private static List<String> given(ConfigReader r, String... keys) {
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            if (r.has(k)) {
                out.add(k);
            }
        }
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
