package micro.broker;

import java.util.Map;
import java.util.TreeMap;

/**
 * go-micro's {@code broker.Message}, sent by the HTTP and Kafka brokers as {@code {"Header":{…},"Body":"<base64>"}}.
 */
public record BrokerMessage(Map<String, String> header, byte[] body) {
	public static final String TOPIC_HEADER = "Micro-Topic";
	public static final String ID_HEADER = "Micro-Id";
	public static final String CONTENT_TYPE_HEADER = "Content-Type";

	public BrokerMessage {
		TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		if (header != null) {
			h.putAll(header);
		}
		header = java.util.Collections.unmodifiableMap(h);
		body = body == null ? new byte[0] : body;
	}

	public String header(String name) {
		return header.get(name);
	}
}
