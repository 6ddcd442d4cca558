package micro.registry.etcd.internal;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import micro.config.MicroConfig;

/**
 * Options of the etcd registry.
 *
 * @param endpoints {@code host:port} of the etcd members (go-micro: {@code 127.0.0.1:2379}); a missing port is
 *            {@value #DEFAULT_PORT}, an {@code http://} or {@code https://} prefix is accepted (and {@code https://}
 *            turns TLS on)
 * @param username etcd user, or null for none
 * @param password the user's password, or null
 * @param tls whether to talk TLS to etcd
 * @param tlsCa PEM file of the CA that signed etcd's certificate; null for the JVM's trusted CAs
 * @param tlsCert PEM file of our client certificate (etcd's {@code --client-cert-auth}); null for none
 * @param tlsKey PEM file (PKCS#8) of the client certificate's key; required with {@code tlsCert}
 * @param tlsInsecure accept any server certificate (go-micro's {@code Secure(true)} without a TLS config does this)
 * @param timeout the limit of one registry operation (go-micro: 5 s)
 */
public record EtcdOptions(List<String> endpoints, String username, String password, boolean tls, Path tlsCa,
		Path tlsCert, Path tlsKey, boolean tlsInsecure, Duration timeout) {

	public static final int DEFAULT_PORT = 2379;
	public static final String DEFAULT_ENDPOINT = "127.0.0.1:" + DEFAULT_PORT;
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	/** Configuration keys of the {@code micro} PID read besides {@code registry_address}. */
	public static final String USERNAME = "registry_username";
	public static final String PASSWORD = "registry_password";
	public static final String TLS = "registry_tls";
	public static final String TLS_CA = "registry_tls_ca";
	public static final String TLS_CERT = "registry_tls_cert";
	public static final String TLS_KEY = "registry_tls_key";
	public static final String TLS_INSECURE = "registry_tls_insecure";
	public static final String TIMEOUT = "registry_timeout";

	public EtcdOptions {
		List<String> normalized = new ArrayList<>();
		boolean https = false;
		for (String endpoint : endpoints == null ? List.<String>of() : endpoints) {
			if (endpoint == null || endpoint.isBlank()) {
				continue;
			}
			String e = endpoint.trim();
			String lower = e.toLowerCase(Locale.ROOT);
			if (lower.startsWith("https://")) {
				https = true;
			}
			normalized.add(hostPort(e));
		}
		if (normalized.isEmpty()) {
			normalized.add(DEFAULT_ENDPOINT);
		}
		endpoints = List.copyOf(normalized);
		username = blankToNull(username);
		password = blankToNull(password);
		if (password != null && username == null) {
			throw new IllegalArgumentException("etcd registry: a password (" + PASSWORD + ") needs a username ("
					+ USERNAME + ")");
		}
		if (username != null && password == null) {
			password = "";
		}
		if ((tlsCert == null) != (tlsKey == null)) {
			throw new IllegalArgumentException("etcd registry: a client certificate needs both " + TLS_CERT + " and "
					+ TLS_KEY);
		}
		for (Path file : new Path[] { tlsCa, tlsCert, tlsKey }) {
			if (file != null && !Files.isReadable(file)) {
				throw new IllegalArgumentException("etcd registry: cannot read TLS file " + file);
			}
		}
		tls = tls || https || tlsCa != null || tlsCert != null || tlsInsecure;
		timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("etcd registry: the operation timeout must be positive, got " + timeout);
		}
	}

	/** {@code 127.0.0.1:2379}, no credentials, plain text, 5 s. */
	public static EtcdOptions defaults() {
		return new EtcdOptions(List.of(), null, null, false, null, null, null, false, DEFAULT_TIMEOUT);
	}

	/** The given endpoints ({@code host[:port]}, comma-separated lists allowed), otherwise the defaults. */
	public static EtcdOptions of(String... endpoints) {
		List<String> list = new ArrayList<>();
		for (String e : endpoints) {
			if (e != null) {
				list.addAll(List.of(e.split(",")));
			}
		}
		return defaults().withEndpoints(list);
	}

	/**
	 * From the runtime configuration (PID {@code micro}): {@code registry_address} (comma-separated),
	 * {@code registry_username}, {@code registry_password}, {@code registry_tls} ({@code true}/{@code false}),
	 * {@code registry_tls_ca}, {@code registry_tls_cert}, {@code registry_tls_key}, {@code registry_tls_insecure},
	 * {@code registry_timeout} (a Go duration, bare numbers are seconds).
	 */
	public static EtcdOptions fromConfig(MicroConfig config) {
		return new EtcdOptions(config.getList(MicroConfig.REGISTRY_ADDRESS), config.get(USERNAME),
				config.get(PASSWORD), bool(config, TLS), path(config, TLS_CA), path(config, TLS_CERT),
				path(config, TLS_KEY), bool(config, TLS_INSECURE),
				config.getDuration(TIMEOUT, DEFAULT_TIMEOUT, ChronoUnit.SECONDS));
	}

	public EtcdOptions withEndpoints(List<String> newEndpoints) {
		return new EtcdOptions(newEndpoints, username, password, tls, tlsCa, tlsCert, tlsKey, tlsInsecure, timeout);
	}

	public EtcdOptions withCredentials(String newUsername, String newPassword) {
		return new EtcdOptions(endpoints, newUsername, newPassword, tls, tlsCa, tlsCert, tlsKey, tlsInsecure, timeout);
	}

	public EtcdOptions withTls(Path ca, Path cert, Path key) {
		return new EtcdOptions(endpoints, username, password, true, ca, cert, key, tlsInsecure, timeout);
	}

	public EtcdOptions withTimeout(Duration newTimeout) {
		return new EtcdOptions(endpoints, username, password, tls, tlsCa, tlsCert, tlsKey, tlsInsecure, newTimeout);
	}

	/** The endpoints as jetcd wants them: {@code http://host:port} or {@code https://host:port}. */
	List<URI> uris() {
		String scheme = tls ? "https://" : "http://";
		return endpoints.stream().map(e -> URI.create(scheme + e)).toList();
	}

	/** The endpoints as people write them, for messages: {@code 10.0.0.1:2379,10.0.0.2:2379}. */
	String describe() {
		return String.join(",", endpoints);
	}

	/** {@code host:port} from {@code [scheme://]host[:port][/]}; IPv6 literals in brackets. */
	static String hostPort(String endpoint) {
		String e = endpoint.trim();
		int scheme = e.indexOf("://");
		if (scheme >= 0) {
			String s = e.substring(0, scheme).toLowerCase(Locale.ROOT);
			if (!s.equals("http") && !s.equals("https")) {
				throw new IllegalArgumentException("invalid etcd address \"" + endpoint
						+ "\": only http:// and https:// are understood");
			}
			e = e.substring(scheme + 3);
		}
		while (e.endsWith("/")) {
			e = e.substring(0, e.length() - 1);
		}
		if (e.isEmpty() || e.contains("/") || e.contains("@") || e.contains(" ")) {
			throw new IllegalArgumentException("invalid etcd address \"" + endpoint + "\": expected host:port");
		}
		String host;
		String port;
		if (e.startsWith("[")) {
			int close = e.indexOf(']');
			if (close < 0) {
				throw new IllegalArgumentException("invalid etcd address \"" + endpoint + "\": unclosed [");
			}
			host = e.substring(0, close + 1);
			String rest = e.substring(close + 1);
			if (!rest.isEmpty() && !rest.startsWith(":")) {
				throw new IllegalArgumentException("invalid etcd address \"" + endpoint + "\": expected host:port");
			}
			port = rest.isEmpty() ? "" : rest.substring(1);
		} else {
			int colon = e.lastIndexOf(':');
			if (colon >= 0 && e.indexOf(':') != colon) {
				throw new IllegalArgumentException("invalid etcd address \"" + endpoint
						+ "\": write IPv6 addresses in brackets, [::1]:2379");
			}
			host = colon < 0 ? e : e.substring(0, colon);
			port = colon < 0 ? "" : e.substring(colon + 1);
		}
		if (host.isEmpty() || host.equals("[]")) {
			throw new IllegalArgumentException("invalid etcd address \"" + endpoint + "\": no host");
		}
		if (port.isEmpty()) {
			return host + ":" + DEFAULT_PORT;
		}
		int p;
		try {
			p = Integer.parseInt(port);
		} catch (NumberFormatException ex) {
			throw new IllegalArgumentException("invalid etcd address \"" + endpoint + "\": bad port \"" + port + "\"");
		}
		if (p < 1 || p > 65535) {
			throw new IllegalArgumentException("invalid etcd address \"" + endpoint + "\": port out of range");
		}
		return host + ":" + p;
	}

	private static String blankToNull(String s) {
		return s == null || s.isBlank() ? null : s;
	}

	private static Path path(MicroConfig config, String key) {
		String v = config.get(key);
		return v == null || v.isBlank() ? null : Path.of(v.trim());
	}

	private static boolean bool(MicroConfig config, String key) {
		String v = config.get(key);
		if (v == null || v.isBlank()) {
			return false;
		}
		return switch (v.trim().toLowerCase(Locale.ROOT)) {
		case "true", "1", "yes", "on" -> true;
		case "false", "0", "no", "off" -> false;
		default -> throw new IllegalArgumentException("invalid value \"" + v + "\" for " + key + ": true or false");
		};
	}

	@Override
	public String toString() {
		// never print the password
		return "EtcdOptions[endpoints=" + endpoints + ", username=" + username + ", tls=" + tls + ", timeout="
				+ timeout + "]";
	}
}
