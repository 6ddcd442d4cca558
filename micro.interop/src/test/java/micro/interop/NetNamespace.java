package micro.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A network namespace made for one test: only {@code lo}, up, with a route for 224.0.0.0/4 on it, so go-micro's mDNS
 * (which binds 0.0.0.0:5353 and multicasts on every interface) and ours reach each other and nothing else. Processes
 * are run in it with {@code ip netns exec}; {@link #close()} ends what is left in it and deletes it.
 */
final class NetNamespace implements AutoCloseable {
	private static final Duration IP_TIMEOUT = Duration.ofSeconds(20);

	private final String name;

	private NetNamespace(String name) {
		this.name = name;
	}

	/** Creates the namespace; fails with a clear message where {@code ip netns} is not permitted (needs root). */
	static NetNamespace create() {
		String name = "micro-it-" + UUID.randomUUID().toString().substring(0, 8);
		ip("add the network namespace (needs root or CAP_SYS_ADMIN)", "ip", "netns", "add", name);
		NetNamespace ns = new NetNamespace(name);
		try {
			ip("bring lo up", ns.wrap(List.of("ip", "link", "set", "lo", "up")).toArray(String[]::new));
			ip("route multicast over lo", ns.wrap(List.of("ip", "route", "add", "224.0.0.0/4", "dev", "lo"))
					.toArray(String[]::new));
		} catch (AssertionError e) {
			ns.close();
			throw e;
		}
		return ns;
	}

	String name() {
		return name;
	}

	/** The command run inside this namespace. */
	List<String> wrap(List<String> command) {
		List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", name));
		wrapped.addAll(command);
		return wrapped;
	}

	/** Every process in the namespace was started by this test: end what is left, then delete the namespace. */
	@Override
	public void close() {
		PeerProcess.Result pids = PeerProcess.run("ip netns pids", List.of("ip", "netns", "pids", name), IP_TIMEOUT);
		for (String pid : pids.stdout().split("\\s+")) {
			if (!pid.isEmpty()) {
				ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
			}
		}
		ip("delete the network namespace", "ip", "netns", "delete", name);
	}

	private static void ip(String what, String... command) {
		PeerProcess.Result result = PeerProcess.run(command[0], List.of(command), IP_TIMEOUT);
		if (result.exitCode() != 0) {
			fail("cannot " + what + ": `" + String.join(" ", command) + "` exited with " + result.exitCode()
					+ result.transcript() + "\nThe mDNS interop tests run go-micro's mDNS only inside a network namespace"
					+ " of their own (see micro.interop/README.md).");
		}
	}
}
