package foundation.foxlight.skulklogs.launcher.doctor.probe;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One Kafka {@code Metadata} request sent over a plain TCP connection to a bootstrap address, encoded and decoded
 * by Kafka's own protocol classes. Unlike the Admin client, which sends its requests to the advertised addresses
 * once it has learnt them, this reads them from the bootstrap broker alone: the doctor can then say which
 * advertised address is wrong. Plaintext listeners only. Blocking; each bootstrap address is tried in turn.
 */
public final class PlaintextMetadataSource implements KafkaMetadataSource {
    /** Metadata v9: understood by every broker from Kafka 2.4 to 4.x. */
    private static final short VERSION = 9;
    private static final int MAX_RESPONSE_BYTES = 64 << 20;

    private final List<HostPort> bootstrap;
    private final Duration timeout;

    public PlaintextMetadataSource(List<HostPort> bootstrap, Duration timeout) {
        this.bootstrap = List.copyOf(bootstrap);
        this.timeout = timeout;
    }

    @Override
    public ClusterMetadata fetch(List<String> topics) throws IOException {
        List<String> failures = new ArrayList<>();
        for (HostPort address : bootstrap) {
            try {
                return fetch(address, topics);
            } catch (IOException e) {
                failures.add(address + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        throw new IOException(String.join("; ", failures));
    }

    private ClusterMetadata fetch(HostPort address, List<String> topics) throws IOException {
        RequestHeader header = new RequestHeader(ApiKeys.METADATA, VERSION, "skulk-logs-doctor", 1);
        ByteBuffer request = new MetadataRequest.Builder(topics, false, VERSION, VERSION).build(VERSION).serializeWithHeader(header);
        int millis = (int) Math.max(1, timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.host(), address.port()), millis);
            socket.setSoTimeout(millis);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            byte[] frame = new byte[request.remaining()];
            request.get(frame);
            out.writeInt(frame.length);
            out.write(frame);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int size = in.readInt();
            if (size <= 0 || size > MAX_RESPONSE_BYTES) {
                throw new IOException("answered with a frame of " + size + " bytes: not a Kafka plaintext listener");
            }
            byte[] bytes = new byte[size];
            in.readFully(bytes);
            MetadataResponse response;
            try {
                response = (MetadataResponse) AbstractResponse.parseResponse(ByteBuffer.wrap(bytes), header);
            } catch (RuntimeException e) {
                throw new IOException("answered something that is not a Kafka metadata response (" + e + ")");
            }
            return toMetadata(address, response, topics);
        } catch (java.io.EOFException e) {
            throw new IOException("closed the connection without answering (a TLS or SASL listener? set kafka.properties)");
        }
    }

    private static ClusterMetadata toMetadata(HostPort address, MetadataResponse response, List<String> topics) {
        List<ClusterMetadata.Broker> brokers = new ArrayList<>();
        response.brokers().forEach(n -> brokers.add(new ClusterMetadata.Broker(n.id(), new HostPort(n.host(), n.port()))));
        Map<String, ClusterMetadata.TopicState> states = new LinkedHashMap<>();
        for (MetadataResponse.TopicMetadata t : response.topicMetadata()) {
            if (t.error() == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                states.put(t.topic(), ClusterMetadata.TopicState.missing());
            } else if (t.error() != Errors.NONE) {
                states.put(t.topic(), new ClusterMetadata.TopicState(true, t.error().name(), 0, 0, 0));
            } else {
                int rf = t.partitionMetadata().isEmpty() ? 0 : t.partitionMetadata().get(0).replicaIds.size();
                int leaderless = (int) t.partitionMetadata().stream().filter(p -> p.leaderId.isEmpty()).count();
                states.put(t.topic(), new ClusterMetadata.TopicState(true, null, t.partitionMetadata().size(), rf, leaderless));
            }
        }
        for (String t : topics) {
            states.putIfAbsent(t, ClusterMetadata.TopicState.missing());
        }
        return new ClusterMetadata(address, response.clusterId(), brokers, states);
    }
}
