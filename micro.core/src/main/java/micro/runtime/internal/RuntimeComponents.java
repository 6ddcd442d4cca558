package micro.runtime.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import micro.config.MicroConfig;

/** What the runtime's components share: the default targets and the reading of their configuration. */
final class RuntimeComponents {
	/** The defaults of go-micro v2: mdns registry, http broker, http transport. */
	static final String DEFAULT_REGISTRY_TARGET = "(micro.registry=mdns)";
	static final String DEFAULT_BROKER_TARGET = "(micro.broker=http)";
	static final String DEFAULT_TRANSPORT_TARGET = "(micro.transport=http)";

	private RuntimeComponents() {
	}

	/** The {@code micro} configuration from component properties: the string-valued keys, over the defaults. */
	static MicroConfig config(Map<String, ?> properties) {
		Map<String, Object> values = new LinkedHashMap<>();
		properties.forEach((k, v) -> {
			if (v instanceof String || v instanceof Number || v instanceof Boolean) {
				values.put(k, v);
			} else if (v instanceof String[] array) {
				values.put(k, String.join(",", array));
			}
		});
		return MicroConfig.of(values);
	}
}
