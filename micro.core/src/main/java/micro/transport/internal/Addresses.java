package micro.transport.internal;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Parses and prints {@code host:port} the way Go's net package does ({@code :0}, {@code [::1]:8080}). */
public final class Addresses {
	private Addresses() {
	}

	/**
	 * Parses {@code host:port}, {@code [v6]:port} or {@code :port}; an empty host is the wildcard address when
	 * {@code wildcardWhenEmpty}, the loopback address otherwise. An empty address is {@code :0}.
	 */
	public static InetSocketAddress parse(String address, boolean wildcardWhenEmpty) throws IOException {
		String a = address == null ? "" : address.trim();
		if (a.isEmpty()) {
			a = ":0";
		}
		String host;
		String port;
		if (a.startsWith("[")) {
			int close = a.indexOf(']');
			if (close < 0 || close + 1 >= a.length() || a.charAt(close + 1) != ':') {
				throw new IOException("invalid address \"" + address + "\": expected [host]:port");
			}
			host = a.substring(1, close);
			port = a.substring(close + 2);
		} else {
			int colon = a.lastIndexOf(':');
			if (colon < 0) {
				throw new IOException("invalid address \"" + address + "\": missing port");
			}
			host = a.substring(0, colon);
			port = a.substring(colon + 1);
			if (host.indexOf(':') >= 0) {
				throw new IOException("invalid address \"" + address + "\": an IPv6 host needs brackets, [host]:port");
			}
		}
		int p;
		try {
			p = Integer.parseInt(port);
		} catch (NumberFormatException e) {
			throw new IOException("invalid address \"" + address + "\": port \"" + port + "\" is not a number");
		}
		if (p < 0 || p > 65535) {
			throw new IOException("invalid address \"" + address + "\": port " + p + " out of range");
		}
		if (host.isEmpty()) {
			return wildcardWhenEmpty ? new InetSocketAddress(p) : new InetSocketAddress(InetAddress.getLoopbackAddress(), p);
		}
		try {
			return new InetSocketAddress(InetAddress.getByName(host), p);
		} catch (UnknownHostException e) {
			throw new IOException("invalid address \"" + address + "\": unknown host " + host, e);
		}
	}

	/** {@code 127.0.0.1:8080}, {@code [::1]:8080}, {@code [::]:8080}. */
	public static String format(InetAddress address, int port) {
		return host(address) + ":" + port;
	}

	public static String format(InetSocketAddress address) {
		return format(address.getAddress(), address.getPort());
	}

	/** The host part, IPv6 in brackets and compressed as Go prints it. */
	public static String host(InetAddress address) {
		if (address instanceof Inet6Address v6) {
			return "[" + compress(v6.getAddress()) + "]";
		}
		return address.getHostAddress();
	}

	private static String compress(byte[] b) {
		int[] groups = new int[8];
		for (int i = 0; i < 8; i++) {
			groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
		}
		int bestStart = -1;
		int bestLength = 0;
		for (int i = 0; i < 8;) {
			if (groups[i] != 0) {
				i++;
				continue;
			}
			int j = i;
			while (j < 8 && groups[j] == 0) {
				j++;
			}
			if (j - i > bestLength && j - i > 1) {
				bestStart = i;
				bestLength = j - i;
			}
			i = j;
		}
		StringBuilder s = new StringBuilder();
		for (int i = 0; i < 8; i++) {
			if (i == bestStart) {
				s.append("::");
				i += bestLength - 1;
				continue;
			}
			if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
				s.append(':');
			}
			s.append(Integer.toHexString(groups[i]));
		}
		return s.toString();
	}
}
