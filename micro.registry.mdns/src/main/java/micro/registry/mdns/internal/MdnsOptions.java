package micro.registry.mdns.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import micro.config.MicroConfig;

/**
 * Options of the mDNS registry.
 *
 * @param address where to run mDNS: empty for loopback (127.0.0.1, the default: nothing is announced on the network), an
 *            IPv4 address of this machine, or a network interface name ({@code eth0}); the multicast group is joined and
 *            sent to on that interface only
 * @param domain the mDNS domain, go-micro's {@code micro}
 * @param queryTimeout how long {@code getService} and {@code listServices} collect answers (go-micro: 100 ms)
 * @param recordTtl the TTL of the records we announce (go-micro: 120 s)
 * @param port the mDNS port, 5353; another port keeps a group of processes (a test) apart from everything else
 */
public record MdnsOptions(String address, String domain, Duration queryTimeout, Duration recordTtl, int port) {

	public static final int MDNS_PORT = 5353;
	public static final String DEFAULT_DOMAIN = "micro";
	public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofMillis(100);
	public static final Duration DEFAULT_RECORD_TTL = Duration.ofSeconds(120);

	private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	public MdnsOptions {
		address = address == null ? "" : address.trim();
		domain = domain == null || domain.isBlank() ? DEFAULT_DOMAIN : trimDots(domain.trim());
		if (domain.isEmpty()) {
			throw new IllegalArgumentException("mDNS domain must not be empty");
		}
		DnsMessage.checkName(domain);
		queryTimeout = queryTimeout == null ? DEFAULT_QUERY_TIMEOUT : queryTimeout;
		recordTtl = recordTtl == null ? DEFAULT_RECORD_TTL : recordTtl;
		if (queryTimeout.isNegative() || queryTimeout.isZero()) {
			throw new IllegalArgumentException("mDNS query timeout must be positive, got " + queryTimeout);
		}
		if (recordTtl.toSeconds() < 1 || recordTtl.toSeconds() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("mDNS record TTL must be at least 1 s, got " + recordTtl);
		}
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("mDNS port out of range: " + port);
		}
	}

	/** Loopback, domain {@code micro}, 100 ms queries, TTL 120 s, port 5353. */
	public static MdnsOptions defaults() {
		return new MdnsOptions("", DEFAULT_DOMAIN, DEFAULT_QUERY_TIMEOUT, DEFAULT_RECORD_TTL, MDNS_PORT);
	}

	/**
	 * From the runtime configuration: {@code registry_address} is empty (loopback), an IPv4 address or an interface name,
	 * optionally with {@code :port} for a non-standard mDNS port; of a comma-separated list the first entry counts.
	 */
	public static MdnsOptions fromConfig(MicroConfig config) {
		List<String> addresses = config.getList(MicroConfig.REGISTRY_ADDRESS);
		return defaults().withAddress(addresses.isEmpty() ? "" : addresses.get(0));
	}

	/**
	 * Another address; {@code host:port} also sets the port. IPv6 is not supported (the group is IPv4's 224.0.0.251).
	 */
	public MdnsOptions withAddress(String newAddress) {
		String a = newAddress == null ? "" : newAddress.trim();
		int colon = a.lastIndexOf(':');
		if (colon >= 0 && a.indexOf(':') == colon) {
			String portText = a.substring(colon + 1);
			String host = a.substring(0, colon);
			int newPort;
			try {
				newPort = Integer.parseInt(portText);
			} catch (NumberFormatException e) {
				throw new IllegalArgumentException("invalid mDNS registry address \"" + newAddress + "\": bad port");
			}
			return new MdnsOptions(host, domain, queryTimeout, recordTtl, newPort);
		}
		if (colon >= 0) {
			throw new IllegalArgumentException("invalid mDNS registry address \"" + newAddress
					+ "\": IPv6 is not supported, give an IPv4 address or an interface name");
		}
		return new MdnsOptions(a, domain, queryTimeout, recordTtl, port);
	}

	public MdnsOptions withDomain(String newDomain) {
		return new MdnsOptions(address, newDomain, queryTimeout, recordTtl, port);
	}

	public MdnsOptions withQueryTimeout(Duration newTimeout) {
		return new MdnsOptions(address, domain, newTimeout, recordTtl, port);
	}

	public MdnsOptions withRecordTtl(Duration newTtl) {
		return new MdnsOptions(address, domain, queryTimeout, newTtl, port);
	}

	public MdnsOptions withPort(int newPort) {
		return new MdnsOptions(address, domain, queryTimeout, recordTtl, newPort);
	}

	/** The domain as a DNS name: {@code micro.} */
	String domainName() {
		return domain + ".";
	}

	/** The interface and IPv4 address to run on. */
	record Binding(NetworkInterface networkInterface, InetAddress address) {
		boolean loopback() {
			return address.isLoopbackAddress();
		}
	}

	/** Resolves {@link #address()} without any DNS lookup; a clear error when it names nothing on this machine. */
	Binding resolve() throws SocketException {
		String a = address.isEmpty() ? "127.0.0.1" : address;
		if (IPV4.matcher(a).matches()) {
			InetAddress ip;
			try {
				ip = InetAddress.getByName(a); // a literal: no lookup
			} catch (UnknownHostException e) {
				throw new IllegalArgumentException("invalid mDNS registry address \"" + a + "\"");
			}
			if (ip.isAnyLocalAddress()) {
				throw new IllegalArgumentException("mDNS registry address 0.0.0.0 names no interface:"
						+ " give an interface name or one of its addresses");
			}
			NetworkInterface ni = NetworkInterface.getByInetAddress(ip);
			if (ni == null) {
				throw new IllegalArgumentException("mDNS registry address " + a + " is not an address of this machine");
			}
			return new Binding(ni, ip);
		}
		NetworkInterface ni = NetworkInterface.getByName(a);
		if (ni == null) {
			throw new IllegalArgumentException("mDNS registry address \"" + a
					+ "\" is neither an IPv4 address nor a network interface of this machine");
		}
		InetAddress ip = ni.inetAddresses().filter(Inet4Address.class::isInstance).findFirst()
				.orElseThrow(() -> new IllegalArgumentException("network interface " + a + " has no IPv4 address"));
		return new Binding(ni, ip);
	}

	private static String trimDots(String s) {
		String t = s;
		while (t.startsWith(".")) {
			t = t.substring(1);
		}
		while (t.endsWith(".")) {
			t = t.substring(0, t.length() - 1);
		}
		return Objects.requireNonNull(t);
	}
}
