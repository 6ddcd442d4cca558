package micro.transport;

import java.util.Map;
import java.util.TreeMap;

/**
 * go-micro's {@code transport.Message}: headers and a body. Header names are matched without regard to case, as HTTP
 * does; they are sent as given (Go canonicalises them, for example {@code Micro-Id}).
 */
public final class Message {
	private final TreeMap<String, String> header = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
	private byte[] body;

	public Message() {
		this.body = new byte[0];
	}

	public Message(Map<String, String> header, byte[] body) {
		if (header != null) {
			this.header.putAll(header);
		}
		this.body = body == null ? new byte[0] : body;
	}

	public Map<String, String> header() {
		return header;
	}

	public String header(String name) {
		return header.get(name);
	}

	public Message header(String name, String value) {
		if (value == null) {
			header.remove(name);
		} else {
			header.put(name, value);
		}
		return this;
	}

	public byte[] body() {
		return body;
	}

	public Message body(byte[] newBody) {
		this.body = newBody == null ? new byte[0] : newBody;
		return this;
	}
}
