package micro.api.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The resolvers of §2.4: they turn the path (and host) of a request into a service name and an endpoint. The
 * {@code micro} resolver maps RPC-style for the handlers that call ({@code meta, api, rpc} and plugins) and
 * proxy-style for the others; {@code path}, {@code vpath}, {@code host} and {@code grpc} are go-micro's.
 */
public final class Resolvers {
	/** A resolved request: the full service name and the endpoint ({@code Type.Method} or the HTTP method). */
	public record Resolution(String service, String endpoint) {
	}


	private Resolvers() {
	}

	/**
	 * Resolves a request.
	 *
	 * @param prefix   the namespace with its type ({@code go.micro.api})
	 * @param rpcStyle whether the handler calls endpoints (RPC-style mapping) rather than proxying
	 * @return null when the path names no service
	 */
	public static Resolution resolve(String resolver, String method, String path, String host, String prefix,
			boolean rpcStyle) {
		return switch (resolver) {
		case "micro" -> micro(method, path, prefix, rpcStyle);
		case "path" -> pathResolver(method, path, prefix, false);
		case "vpath" -> pathResolver(method, path, prefix, true);
		case "host" -> host == null || host.isEmpty() ? null : new Resolution(stripPort(host), method);
		case "grpc" -> grpc(method, path);
		default -> throw new IllegalArgumentException("unknown resolver " + resolver);
		};
	}

	static Resolution micro(String method, String path, String prefix, boolean rpcStyle) {
		if (rpcStyle) {
			String[] r = apiRoute(path);
			return r[0].isEmpty() ? null : new Resolution(prefix + "." + r[0], r[1]);
		}
		String name = proxyRoute(path);
		return name.isEmpty() ? null : new Resolution(prefix + "." + name, method);
	}

	/** RPC-style: {@code [service, Type.Method]} by the table of §2.4. */
	public static String[] apiRoute(String rawPath) {
		String p = cleanPath(rawPath);
		if (p.startsWith("/")) {
			p = p.substring(1);
		}
		String[] parts = p.split("/", -1);
		if (parts.length == 1 && !parts[0].isEmpty()) {
			return new String[] { parts[0], methodName(List.of(parts[0], "Call")) };
		}
		if (parts.length <= 2) {
			return new String[] { parts[0], parts[0].isEmpty() ? "" : methodName(Arrays.asList(parts)) };
		}
		List<String> all = Arrays.asList(parts);
		if (parts.length == 3 && isVersion(parts[0])) {
			return new String[] { String.join(".", all.subList(0, 2)), methodName(all.subList(1, 3)) };
		}
		return new String[] { String.join(".", all.subList(0, parts.length - 2)),
				methodName(all.subList(parts.length - 2, parts.length)) };
	}

	/** Proxy-style: the first segment, or {@code vN.<second>}; empty when the name is not valid. */
	public static String proxyRoute(String path) {
		// by hand rather than split and regular expressions: the http handler resolves every request this way
		if (path.isEmpty() || path.charAt(0) != '/') {
			return "";
		}
		int end1 = path.indexOf('/', 1);
		String first = end1 < 0 ? path.substring(1) : path.substring(1, end1);
		if (end1 >= 0 && isVersion(first)) {
			int end2 = path.indexOf('/', end1 + 1);
			String second = end2 < 0 ? path.substring(end1 + 1) : path.substring(end1 + 1, end2);
			return isProxyName(second) ? first + "." + second : "";
		}
		return isProxyName(first) ? first : "";
	}

	/** {@code v[0-9]+} */
	private static boolean isVersion(String s) {
		if (s.length() < 2 || s.charAt(0) != 'v') {
			return false;
		}
		for (int i = 1; i < s.length(); i++) {
			if (s.charAt(i) < '0' || s.charAt(i) > '9') {
				return false;
			}
		}
		return true;
	}

	/** {@code [a-zA-Z0-9]+(-[a-zA-Z0-9]+)*} */
	private static boolean isProxyName(String s) {
		if (s.isEmpty() || s.charAt(0) == '-' || s.charAt(s.length() - 1) == '-') {
			return false;
		}
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
			if (!alnum && (c != '-' || s.charAt(i - 1) == '-')) {
				return false;
			}
		}
		return true;
	}

	private static Resolution pathResolver(String method, String path, String prefix, boolean keepVersion) {
		if (path.isEmpty() || path.equals("/")) {
			return null;
		}
		String[] parts = path.substring(1).split("/", -1);
		String name = keepVersion && parts.length > 1 && isVersion(parts[0])
				? parts[0] + "." + parts[1]
				: parts[0];
		if (name.isEmpty()) {
			return null;
		}
		return new Resolution(prefix + "." + name, method);
	}

	/**
	 * {@code /pkg.Svc/Method} → service {@code pkg}. Go leaves the endpoint as the HTTP method; this gives
	 * {@code Svc.Method}, the endpoint the path names, so the rpc handler can call it.
	 */
	private static Resolution grpc(String method, String path) {
		if (path.isEmpty() || path.equals("/")) {
			return null;
		}
		String[] parts = path.substring(1).split("/", -1);
		int dot = parts[0].lastIndexOf('.');
		if (dot <= 0) {
			return null;
		}
		String endpoint = parts.length > 1 && !parts[1].isEmpty() ? parts[0].substring(dot + 1) + "." + parts[1]
				: method;
		return new Resolution(parts[0].substring(0, dot), endpoint);
	}

	/** {@code baz-xyz} → {@code BazXyz}, each part title-cased, joined with dots. */
	static String methodName(List<String> parts) {
		List<String> out = new ArrayList<>(parts.size());
		for (String part : parts) {
			StringBuilder b = new StringBuilder();
			for (String word : part.split("-", -1)) {
				b.append(title(word));
			}
			out.add(b.toString());
		}
		return String.join(".", out);
	}

	/** Go's {@code strings.Title}: the first letter of every word upper-cased; letters, digits and {@code _} join words. */
	static String title(String s) {
		StringBuilder b = new StringBuilder(s.length());
		boolean start = true;
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			b.append(start ? Character.toTitleCase(c) : c);
			start = !(Character.isLetterOrDigit(c) || c == '_');
		}
		return b.toString();
	}

	/** Go's {@code path.Clean}: no double slashes, no {@code .} or {@code ..} segments, no trailing slash. */
	static String cleanPath(String path) {
		if (path == null || path.isEmpty()) {
			return ".";
		}
		boolean rooted = path.startsWith("/");
		List<String> out = new ArrayList<>();
		for (String seg : path.split("/")) {
			if (seg.isEmpty() || seg.equals(".")) {
				continue;
			}
			if (seg.equals("..")) {
				if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
					out.remove(out.size() - 1);
				} else if (!rooted) {
					out.add(seg);
				}
				continue;
			}
			out.add(seg);
		}
		String joined = String.join("/", out);
		if (rooted) {
			return "/" + joined;
		}
		return joined.isEmpty() ? "." : joined;
	}

	static String stripPort(String host) {
		if (host.startsWith("[")) {
			int end = host.indexOf(']');
			return end > 0 ? host.substring(1, end) : host;
		}
		int colon = host.indexOf(':');
		return colon >= 0 && host.indexOf(':', colon + 1) < 0 ? host.substring(0, colon) : host;
	}

	/**
	 * The namespace of the {@code domain} setting: {@code go.micro} for an IP address, {@code localhost}, a bare
	 * registrable domain or any {@code *.micro.mu}; otherwise the subdomain labels reversed
	 * ({@code staging.myapp.m3o.app} → {@code myapp.staging}). The registrable domain is taken as the last two labels.
	 */
	public static String domainNamespace(String host) {
		String h = host == null ? "" : stripPort(host).toLowerCase(java.util.Locale.ROOT);
		if (h.isEmpty() || h.equals("localhost") || h.endsWith(".micro.mu") || h.equals("micro.mu")
				|| h.matches("[0-9.]+") || h.contains(":")) {
			return "go.micro";
		}
		String[] labels = h.split("\\.");
		if (labels.length <= 2) {
			return "go.micro";
		}
		List<String> sub = new ArrayList<>(Arrays.asList(labels).subList(0, labels.length - 2));
		java.util.Collections.reverse(sub);
		return String.join(".", sub);
	}
}
