package micro.runtime.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import micro.config.MicroConfig;

/** What the runtime's components share: the default targets and the reading of their configuration. */
final class RuntimeComponents {
	/** The defaults of go-micro v2: mdns registry, http broker, http transport. */
	static final String DEFAULT_REGISTRY_TARGET = "(micro.registry=mdns)";
	static final String DEFAULT_BROKER_TARGET = "(micro.broker=http)";
	static final String DEFAULT_TRANSPORT_TARGET = "(micro.transport=http)";

	/** The keys only the client reads: changing them leaves the servers as they are. */
	static final Set<String> CLIENT_ONLY = Set.of(MicroConfig.SELECTOR, MicroConfig.CLIENT_REQUEST_TIMEOUT,
			MicroConfig.CLIENT_RETRIES, MicroConfig.CLIENT_POOL_SIZE, MicroConfig.CLIENT_POOL_TTL, MicroConfig.PROXY);

	private RuntimeComponents() {
	}

	/** The configuration's values without those in {@code ignored}, to compare two configurations by what is used. */
	static Map<String, Object> without(Map<String, ?> properties, Set<String> ignored) {
		Map<String, Object> values = new LinkedHashMap<>(properties);
		values.keySet().removeAll(ignored);
		return values;
	}
}
