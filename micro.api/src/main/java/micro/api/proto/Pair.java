package micro.api.proto;

import java.util.List;

/** {@code go.api.Pair}: a key with all its values. */
public record Pair(String key, List<String> values) {
	public Pair {
		key = key == null ? "" : key;
		values = values == null ? List.of() : List.copyOf(values);
	}
}
