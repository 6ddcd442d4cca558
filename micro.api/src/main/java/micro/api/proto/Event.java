package micro.api.proto;

import java.io.IOException;
import java.util.Map;

/**
 * {@code go.api.Event}: what the {@code event} handler publishes; {@code timestamp} is in Unix seconds. Its protobuf
 * form ({@link #toByteArray()}, {@link #parseFrom(byte[])}) is the one go-micro's generated {@code proto.Event}
 * reads and writes, so micro.core's {@code application/protobuf} codec carries it to a Java subscriber that takes an
 * {@code Event} as it carries it to a Go one.
 */
public record Event(String name, String id, long timestamp, Map<String, Pair> header, String data) {
	public Event {
		name = name == null ? "" : name;
		id = id == null ? "" : id;
		header = header == null ? Map.of() : Map.copyOf(header);
		data = data == null ? "" : data;
	}

	/**
	 * The protobuf encoding: {@code name = 1, id = 2, timestamp = 3, map<string, Pair> header = 4, data = 5}.
	 *
	 * @since 1.1
	 */
	public byte[] toByteArray() {
		return GoApiWire.write(this);
	}

	/**
	 * Reads the protobuf encoding; unknown fields are skipped.
	 *
	 * @throws IOException when the bytes are not a {@code go.api.Event}
	 * @since 1.1
	 */
	public static Event parseFrom(byte[] bytes) throws IOException {
		return GoApiWire.readEvent(bytes);
	}
}
