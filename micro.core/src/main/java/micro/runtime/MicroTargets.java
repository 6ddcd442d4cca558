package micro.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

import micro.broker.Broker;
import micro.config.MicroConfig;
import micro.registry.Registry;
import micro.transport.Transport;

/**
 * The Declarative Services target filters that select the configured registry, broker and transport. The runtime's
 * components (configuration PID {@value micro.config.MicroConfig#PID}) name their references {@value #REGISTRY},
 * {@value #BROKER} and {@value #TRANSPORT}; putting {@code registry.target=(micro.registry=etcd)} (and so on) into
 * that configuration rebinds them without a restart. A launcher that writes the configuration adds the entries of
 * {@link #of(MicroConfig)} next to the plain keys.
 */
public final class MicroTargets {
	/** The reference names of the runtime's components. */
	public static final String REGISTRY = "registry";
	public static final String BROKER = "broker";
	public static final String TRANSPORT = "transport";

	/** The component property that holds a reference's target filter: {@code <reference name>.target}. */
	public static String property(String reference) {
		return reference + ".target";
	}

	private MicroTargets() {
	}

	/**
	 * {@code registry.target}, {@code broker.target} and {@code transport.target} for the configuration's
	 * {@code registry}, {@code broker} and {@code transport} (their defaults {@code mdns}, {@code http}, {@code http}
	 * when unset).
	 */
	public static Map<String, String> of(MicroConfig config) {
		Map<String, String> t = new LinkedHashMap<>();
		t.put(property(REGISTRY), filter(Registry.NAME_PROPERTY, config.get(MicroConfig.REGISTRY, "mdns")));
		t.put(property(BROKER), filter(Broker.NAME_PROPERTY, config.get(MicroConfig.BROKER, "http")));
		t.put(property(TRANSPORT), filter(Transport.NAME_PROPERTY, config.get(MicroConfig.TRANSPORT, "http")));
		return t;
	}

	/** {@code (key=value)} with the value escaped as RFC 1960 asks. */
	public static String filter(String key, String value) {
		StringBuilder b = new StringBuilder("(").append(key).append('=');
		for (char c : value.trim().toCharArray()) {
			if (c == '(' || c == ')' || c == '*' || c == '\\') {
				b.append('\\');
			}
			b.append(c);
		}
		return b.append(')').toString();
	}
}
