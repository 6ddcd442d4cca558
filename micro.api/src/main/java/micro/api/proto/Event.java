package micro.api.proto;

import java.util.Map;

/** {@code go.api.Event}: what the {@code event} handler publishes; {@code timestamp} is in Unix seconds. */
public record Event(String name, String id, long timestamp, Map<String, Pair> header, String data) {
	public Event {
		name = name == null ? "" : name;
		id = id == null ? "" : id;
		header = header == null ? Map.of() : Map.copyOf(header);
		data = data == null ? "" : data;
	}
}
