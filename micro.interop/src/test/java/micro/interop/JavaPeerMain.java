package micro.interop;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import micro.registry.Endpoint;
import micro.registry.Node;
import micro.registry.Service;
import micro.registry.Value;
import micro.registry.mdns.internal.MdnsOptions;
import micro.registry.mdns.internal.MdnsRegistry;

/**
 * The Java side of the mDNS interop tests, run as a child JVM inside the test's network namespace (so that it shares
 * the namespace's loopback with the Go peer):
 *
 * <pre>
 * register &lt;service&gt; &lt;node id&gt; &lt;address&gt;   announce a go.micro.srv.example-shaped record until "stop" on stdin
 * get &lt;service&gt; &lt;wait ms&gt;                    print getService as JSON once it has nodes (or when the wait is over)
 * list                                         print listServices as JSON
 * </pre>
 */
public final class JavaPeerMain {
	static final ObjectMapper JSON = new ObjectMapper();

	private JavaPeerMain() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length == 0) {
			System.err.println("usage: JavaPeerMain register|get|list ...");
			System.exit(2);
		}
		try (MdnsRegistry registry = new MdnsRegistry(MdnsOptions.defaults())) {
			switch (args[0]) {
			case "register" -> register(registry, args[1], args[2], args[3]);
			case "get" -> {
				List<Service> found = awaitService(registry, args[1], Duration.ofMillis(Long.parseLong(args[2])));
				System.out.println(JSON.writeValueAsString(found));
				System.exit(found.isEmpty() ? 1 : 0);
			}
			case "list" -> System.out.println(JSON.writeValueAsString(registry.listServices()));
			default -> {
				System.err.println("unknown command " + args[0]);
				System.exit(2);
			}
			}
		}
	}

	/** getService until it finds nodes or the wait is over (an mDNS answer can miss one 100 ms query window). */
	static List<Service> awaitService(MdnsRegistry registry, String name, Duration wait) throws Exception {
		long end = System.nanoTime() + wait.toNanos();
		while (true) {
			List<Service> found = registry.getService(name);
			if (found.stream().anyMatch(s -> !s.nodes().isEmpty()) || System.nanoTime() > end) {
				return found;
			}
			Thread.sleep(100);
		}
	}

	private static void register(MdnsRegistry registry, String name, String nodeId, String address) throws Exception {
		Value request = new Value("Request", "Request", List.of(new Value("name", "string", null)));
		Value response = new Value("Response", "Response", List.of(new Value("msg", "string", null)));
		Service service = new Service(name, "latest", null,
				List.of(new Endpoint("Example.Call", request, response, Map.of())),
				List.of(new Node(nodeId, address, Map.of("broker", "http", "protocol", "mucp", "registry", "mdns",
						"server", "mucp", "transport", "http"))));
		registry.register(service, Duration.ofSeconds(60));
		System.out.println("READY id=" + nodeId + " address=" + address);
		awaitStop();
		registry.deregister(service);
		System.out.println("STOPPED");
	}

	/** Blocks until "stop" arrives on standard input (or it closes). */
	static void awaitStop() throws Exception {
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = in.readLine()) != null && !line.trim().equals("stop")) {
			// keep serving
		}
	}
}
