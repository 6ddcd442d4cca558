package micro.runtime.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.ComponentContext;

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

	/**
	 * Deactivates the component and activates it again with the configuration now in force: what a component without
	 * a modified method gets on every change, kept for the changes that matter to it. From a thread of its own, since
	 * SCR holds the component's lock while its modified method runs and would wait for it.
	 */
	static void reactivate(ComponentContext context) {
		String name = String.valueOf(context.getProperties().get(ComponentConstants.COMPONENT_NAME));
		Thread t = new Thread(() -> {
			try {
				context.disableComponent(name);
				context.enableComponent(name);
			} catch (IllegalStateException stopping) {
				// the bundle is stopping: nothing to activate again
			}
		}, "micro-reactivate-" + name);
		t.setDaemon(true);
		t.start();
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
