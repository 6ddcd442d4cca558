package micro.registry;

import java.util.List;

/** go-micro's {@code registry.Value}: a named, typed node of a request or response description. */
public record Value(String name, String type, List<Value> values) {
	public Value {
		values = values == null ? List.of() : List.copyOf(values);
	}
}
