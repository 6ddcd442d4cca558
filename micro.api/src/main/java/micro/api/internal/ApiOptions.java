package micro.api.internal;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import micro.config.MicroConfig;

/**
 * The gateway's settings, read from the runtime configuration (PID {@value MicroConfig#PID}). The keys are the flag
 * names of {@code micro api} with the {@code api_} prefix, so the environment variables of the Go original map onto
 * them ({@code MICRO_API_HANDLER} → {@code api_handler}); {@code enable_stats} is the global flag.
 */
public record ApiOptions(String address, String handler, String namespace, String type, String resolver,
		boolean enableRpc, boolean enableCors, boolean enableStats, boolean enableAccessLog,
		List<String> corsAllowedOrigins, boolean corsAllowCredentials, long maxBody, Duration defaultTimeout,
		Duration maxTimeout, Duration shutdownTimeout, String serviceName) {

	public static final String API_ADDRESS = "api_address";
	public static final String API_HANDLER = "api_handler";
	public static final String API_NAMESPACE = "api_namespace";
	public static final String API_TYPE = "api_type";
	public static final String API_RESOLVER = "api_resolver";
	public static final String API_ENABLE_RPC = "api_enable_rpc";
	public static final String API_ENABLE_CORS = "api_enable_cors";
	/** Go's Apache combined access log on stdout; on unless {@code false}. */
	public static final String API_ENABLE_ACCESS_LOG = "api_enable_access_log";
	public static final String API_CORS_ALLOWED_ORIGINS = "api_cors_allowed_origins";
	public static final String API_CORS_ALLOW_CREDENTIALS = "api_cors_allow_credentials";
	public static final String API_MAX_BODY = "api_max_body";
	public static final String API_MAX_TIMEOUT = "api_max_timeout";
	public static final String API_SHUTDOWN_TIMEOUT = "api_shutdown_timeout";
	/** Whether {@code micro server} runs the gateway (it does unless this is {@code false}). */
	public static final String API_ENABLED = "api_enabled";
	public static final String ENABLE_STATS = "enable_stats";

	/** Every key above, for command-line parsers that map {@code micro api --<flag>} onto {@code api_<flag>}. */
	public static final Set<String> KEYS = Set.of(API_ADDRESS, API_HANDLER, API_NAMESPACE, API_TYPE, API_RESOLVER,
			API_ENABLE_RPC, API_ENABLE_CORS, API_ENABLE_ACCESS_LOG, API_CORS_ALLOWED_ORIGINS,
			API_CORS_ALLOW_CREDENTIALS, API_MAX_BODY, API_MAX_TIMEOUT, API_SHUTDOWN_TIMEOUT, API_ENABLED, ENABLE_STATS);

	/** Loopback, like every listener of this runtime by default; go-micro binds {@code :8080} (every interface). */
	public static final String DEFAULT_ADDRESS = "127.0.0.1:8080";
	public static final String DEFAULT_NAMESPACE = "go.micro";
	public static final String DEFAULT_TYPE = "api";
	public static final long DEFAULT_MAX_BODY = 10L * 1024 * 1024;
	public static final String SERVICE_NAME = "go.micro.api";

	/** The handler names of {@code --handler}; any other name is a plugin's, or else {@code meta}. */
	public static final Set<String> BUILT_IN_HANDLERS = Set.of("meta", "api", "rpc", "event", "http", "proxy", "web");
	public static final Set<String> RESOLVERS = Set.of("micro", "path", "host", "grpc", "vpath");
	/** Last labels of a v2.0-style namespace ({@code go.micro.srv}) that name the type. */
	private static final Set<String> TYPE_LABELS = Set.of("api", "srv", "service", "web", "fnc", "function");

	public ApiOptions {
		address = blank(address) ? DEFAULT_ADDRESS : address.trim();
		handler = blank(handler) ? "meta" : handler.trim();
		namespace = blank(namespace) ? DEFAULT_NAMESPACE : namespace.trim();
		type = blank(type) ? DEFAULT_TYPE : type.trim();
		resolver = blank(resolver) ? "micro" : resolver.trim().toLowerCase(Locale.ROOT);
		if (!RESOLVERS.contains(resolver)) {
			throw new IllegalArgumentException("unknown resolver \"" + resolver + "\": use one of micro, path, host, grpc, vpath");
		}
		corsAllowedOrigins = corsAllowedOrigins == null || corsAllowedOrigins.isEmpty() ? List.of("*")
				: List.copyOf(corsAllowedOrigins);
		if (maxBody <= 0) {
			throw new IllegalArgumentException(API_MAX_BODY + " must be positive: " + maxBody);
		}
		defaultTimeout = defaultTimeout == null ? Duration.ofSeconds(5) : defaultTimeout;
		maxTimeout = maxTimeout == null ? Duration.ofSeconds(60) : maxTimeout;
		shutdownTimeout = shutdownTimeout == null ? Duration.ofSeconds(10) : shutdownTimeout;
		serviceName = blank(serviceName) ? SERVICE_NAME : serviceName;
	}

	/** The Go defaults, on the given address (tests use {@code 127.0.0.1:0}). */
	public static ApiOptions defaults(String address) {
		return from(MicroConfig.of(Map.of(API_ADDRESS, address)));
	}

	/** Reads the {@code api_*} keys of a configuration; a malformed value is refused with the key's name. */
	public static ApiOptions from(MicroConfig config) {
		String namespace = config.get(API_NAMESPACE, DEFAULT_NAMESPACE);
		String type = config.get(API_TYPE);
		if (blank(type)) {
			// v2.0 form: --namespace=go.micro.srv names the whole prefix, type included
			int dot = namespace.lastIndexOf('.');
			String last = dot < 0 ? "" : namespace.substring(dot + 1);
			type = TYPE_LABELS.contains(last) ? last : DEFAULT_TYPE;
		}
		return new ApiOptions(config.get(API_ADDRESS, DEFAULT_ADDRESS), config.get(API_HANDLER, "meta"), namespace,
				type, config.get(API_RESOLVER, "micro"), bool(config, API_ENABLE_RPC, false),
				bool(config, API_ENABLE_CORS, true), bool(config, ENABLE_STATS, false),
				bool(config, API_ENABLE_ACCESS_LOG, true), config.getList(API_CORS_ALLOWED_ORIGINS),
				bool(config, API_CORS_ALLOW_CREDENTIALS, false), size(config, API_MAX_BODY, DEFAULT_MAX_BODY),
				config.getDuration(MicroConfig.CLIENT_REQUEST_TIMEOUT, Duration.ofSeconds(5), ChronoUnit.SECONDS),
				config.getDuration(API_MAX_TIMEOUT, Duration.ofSeconds(60), ChronoUnit.SECONDS),
				config.getDuration(API_SHUTDOWN_TIMEOUT, Duration.ofSeconds(10), ChronoUnit.SECONDS), SERVICE_NAME);
	}

	/**
	 * The prefix of service names: {@code <namespace>.<type>}, a trailing {@code .<type>} of the namespace stripped
	 * first (micro v2.5), so {@code go.micro.srv} with type {@code srv} and {@code go.micro} with type {@code srv} both
	 * give {@code go.micro.srv}. The namespace {@code domain} is resolved per request from the host.
	 */
	public String prefix() {
		String ns = namespace;
		if (ns.endsWith("." + type)) {
			ns = ns.substring(0, ns.length() - type.length() - 1);
		}
		return ns + "." + type;
	}

	/** True when the namespace is derived from the Host of each request. */
	public boolean domainNamespace() {
		return "domain".equals(namespace);
	}

	public ApiOptions withAddress(String newAddress) {
		return new ApiOptions(newAddress, handler, namespace, type, resolver, enableRpc, enableCors, enableStats,
				enableAccessLog, corsAllowedOrigins, corsAllowCredentials, maxBody, defaultTimeout, maxTimeout,
				shutdownTimeout, serviceName);
	}

	private static boolean bool(MicroConfig config, String key, boolean fallback) {
		String v = config.get(key);
		if (blank(v)) {
			return fallback;
		}
		return switch (v.trim().toLowerCase(Locale.ROOT)) {
		case "true", "1", "t", "yes", "on" -> true;
		case "false", "0", "f", "no", "off" -> false;
		default -> throw new IllegalArgumentException("invalid value \"" + v + "\" for " + key + ": not a boolean");
		};
	}

	/** A byte count: a plain number, or with a unit {@code KiB MiB GiB} ({@code KB MB GB} are taken as the same). */
	static long size(MicroConfig config, String key, long fallback) {
		String v = config.get(key);
		if (blank(v)) {
			return fallback;
		}
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\\s*(\\d+)\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)\\s*")
				.matcher(v);
		if (!m.matches()) {
			throw new IllegalArgumentException("invalid value \"" + v + "\" for " + key + ": not a size");
		}
		long n = Long.parseLong(m.group(1));
		return switch (m.group(2).toLowerCase(Locale.ROOT)) {
		case "k", "kb", "kib" -> n * 1024;
		case "m", "mb", "mib" -> n * 1024 * 1024;
		case "g", "gb", "gib" -> n * 1024 * 1024 * 1024;
		default -> n;
		};
	}

	private static boolean blank(String s) {
		return s == null || s.isBlank();
	}
}
