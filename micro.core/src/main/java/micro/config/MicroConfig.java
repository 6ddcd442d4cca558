package micro.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The runtime configuration: one ConfigAdmin PID ({@value #PID}) whose keys are the Go flag names
 * ({@code registry}, {@code registry_address}, {@code client_request_timeout}, …). Values come from {@code conf/}
 * files, then the {@code MICRO_*} environment variables (the flag name upper-cased with the prefix), then the command
 * line's global flags, each overriding the one before.
 */
public final class MicroConfig {
	public static final String PID = "micro";

	public static final String REGISTRY = "registry";
	public static final String REGISTRY_ADDRESS = "registry_address";
	public static final String BROKER = "broker";
	public static final String BROKER_ADDRESS = "broker_address";
	public static final String TRANSPORT = "transport";
	public static final String TRANSPORT_ADDRESS = "transport_address";
	public static final String SELECTOR = "selector";
	public static final String CLIENT_REQUEST_TIMEOUT = "client_request_timeout";
	public static final String CLIENT_RETRIES = "client_retries";
	public static final String CLIENT_POOL_SIZE = "client_pool_size";
	public static final String CLIENT_POOL_TTL = "client_pool_ttl";
	public static final String REGISTER_TTL = "register_ttl";
	public static final String REGISTER_INTERVAL = "register_interval";
	public static final String SERVER_NAME = "server_name";
	public static final String SERVER_VERSION = "server_version";
	public static final String SERVER_ID = "server_id";
	public static final String SERVER_ADDRESS = "server_address";
	public static final String SERVER_ADVERTISE = "server_advertise";
	public static final String SERVER_METADATA = "server_metadata";
	public static final String PROXY = "proxy";

	/** The Go defaults (go-micro v2 with flags parsed). */
	public static final Map<String, String> DEFAULTS;
	static {
		Map<String, String> d = new LinkedHashMap<>();
		d.put(REGISTRY, "mdns");
		d.put(BROKER, "http");
		d.put(TRANSPORT, "http");
		d.put(SELECTOR, "registry");
		d.put(CLIENT_REQUEST_TIMEOUT, "5s");
		d.put(CLIENT_RETRIES, "1");
		d.put(CLIENT_POOL_SIZE, "100");
		d.put(CLIENT_POOL_TTL, "1m");
		d.put(REGISTER_TTL, "60");
		d.put(REGISTER_INTERVAL, "30");
		// Loopback by default, like the mDNS registry: nothing is reachable from the network until configured
		// (go-micro binds ":0"; set server_address=0.0.0.0:0 for that).
		d.put(SERVER_ADDRESS, "127.0.0.1:0");
		DEFAULTS = Collections.unmodifiableMap(d);
	}

	private final Map<String, String> values;

	private MicroConfig(Map<String, String> values) {
		this.values = values;
	}

	/**
	 * Builds from a property map (a ConfigAdmin dictionary or a parsed command line), over the defaults. A private key
	 * ({@code .registry_password}, see {@link #withPrivateSecrets}) is also readable under its plain name.
	 */
	public static MicroConfig of(Map<String, ?> properties) {
		Map<String, String> v = new TreeMap<>(DEFAULTS);
		if (properties != null) {
			properties.forEach((k, val) -> {
				// a String[] (as Declarative Services gives multi-valued properties) reads as its comma-separated values
				String text = val instanceof String[] array ? String.join(",", array) : String.valueOf(val);
				if (val != null && !text.isEmpty()) {
					v.put(k, text);
					if (k.startsWith(".") && k.length() > 1) {
						v.put(k.substring(1), text);
					}
				}
			});
		}
		return new MicroConfig(Collections.unmodifiableMap(v));
	}

	/** A key whose value must not be published: {@code *_password}, {@code *_secret}, {@code *_token}. */
	public static boolean isSecret(String key) {
		return key.endsWith("_password") || key.endsWith("_secret") || key.endsWith("_token");
	}

	/**
	 * The configuration to store in ConfigAdmin, with every secret renamed to its private form ({@code .} first).
	 * Declarative Services copies a component's configuration onto the properties of the service it registers, where
	 * every bundle can read them; private properties (a leading full stop) are not copied.
	 */
	public static Map<String, String> withPrivateSecrets(Map<String, String> configuration) {
		Map<String, String> out = new TreeMap<>();
		configuration.forEach((k, v) -> out.put(isSecret(k) ? "." + k : k, v));
		return out;
	}

	/** The {@code MICRO_*} variables of an environment, as config keys ({@code MICRO_REGISTRY_ADDRESS} → {@code registry_address}). */
	public static Map<String, String> fromEnvironment(Map<String, String> env) {
		Map<String, String> out = new TreeMap<>();
		env.forEach((k, v) -> {
			if (k.startsWith("MICRO_") && k.length() > 6) {
				out.put(k.substring(6).toLowerCase(Locale.ROOT), v);
			}
		});
		return out;
	}

	public Map<String, String> asMap() {
		return values;
	}

	public String get(String key) {
		return values.get(key);
	}

	public String get(String key, String fallback) {
		String v = values.get(key);
		return v == null || v.isEmpty() ? fallback : v;
	}

	public int getInt(String key, int fallback) {
		String v = values.get(key);
		if (v == null || v.isEmpty()) {
			return fallback;
		}
		try {
			return Integer.parseInt(v.trim());
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException("invalid value \"" + v + "\" for " + key + ": not a number");
		}
	}

	/** A duration in Go's syntax ({@code 5s}, {@code 1m30s}, {@code 250ms}); a bare number is {@code unit}s. */
	public Duration getDuration(String key, Duration fallback, java.time.temporal.ChronoUnit unit) {
		String v = values.get(key);
		if (v == null || v.isEmpty()) {
			return fallback;
		}
		return parseDuration(v, unit);
	}

	/** Comma-separated addresses; empty when none. */
	public List<String> getList(String key) {
		String v = values.get(key);
		if (v == null || v.isBlank()) {
			return List.of();
		}
		return java.util.Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
	}

	/**
	 * Parses a Go duration: a sequence of decimal numbers with units {@code ns us µs ms s m h}, for example
	 * {@code 1h2m0.5s}. A plain number is taken in {@code bareUnit}.
	 */
	public static Duration parseDuration(String text, java.time.temporal.ChronoUnit bareUnit) {
		String s = text.trim();
		if (s.matches("\\d+")) {
			return Duration.of(Long.parseLong(s), bareUnit);
		}
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)").matcher(s);
		long nanos = 0;
		int end = 0;
		while (m.find()) {
			if (m.start() != end) {
				break;
			}
			end = m.end();
			double n = Double.parseDouble(m.group(1));
			double mult = switch (m.group(2)) {
			case "ns" -> 1;
			case "us", "µs" -> 1e3;
			case "ms" -> 1e6;
			case "s" -> 1e9;
			case "m" -> 60e9;
			default -> 3600e9;
			};
			nanos += (long) (n * mult);
		}
		if (end == 0 || end != s.length()) {
			throw new IllegalArgumentException("invalid duration \"" + text + "\"");
		}
		return Duration.ofNanos(nanos);
	}
}
