package micro.interop;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import micro.client.CallOptions;
import micro.client.Client;
import micro.client.Request;
import micro.codec.RawBody;
import micro.config.MicroConfig;
import micro.errors.MicroError;
import micro.registry.Endpoint;
import micro.registry.Node;
import micro.registry.Service;
import micro.registry.Value;
import micro.registry.mdns.internal.MdnsOptions;
import micro.registry.mdns.internal.MdnsRegistry;
import micro.runtime.Micro;
import micro.server.Server;
import micro.server.ServerOptions;

/**
 * The Java side of the mDNS interop tests, run as a child JVM inside the test's network namespace (so that it shares
 * the namespace's loopback with the Go peer):
 *
 * <pre>
 * register &lt;service&gt; &lt;node id&gt; &lt;address&gt;   announce a go.micro.srv.example-shaped record until "stop" on stdin
 * serve                                        a Micro server go.micro.srv.example ({@link Example}) until "stop"
 * call &lt;service&gt; &lt;endpoint&gt; &lt;json&gt;         call through the registry (no address) and print the response JSON
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
			case "serve" -> serve(registry);
			case "call" -> System.exit(call(registry, args[1], args[2], args[3]));
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

	private static Micro micro(MdnsRegistry registry) {
		return Micro.builder().config(MicroConfig.of(Map.of(MicroConfig.REGISTRY, MdnsRegistry.NAME))).registry(registry)
				.build();
	}

	private static void serve(MdnsRegistry registry) throws Exception {
		try (Micro micro = micro(registry)) {
			Server server = micro.newServer(ServerOptions.named(Example.SERVICE));
			server.handle(new Example());
			server.start();
			System.out.println("READY id=" + server.nodeId() + " address=" + server.address());
			awaitStop();
			server.stop();
			System.out.println("STOPPED");
		}
	}

	/**
	 * Calls by service name, so the node comes from the mDNS registry; while the service is not found yet (Go's
	 * client error for that) it tries again for up to 5 s, as the Go peer's {@code -wait} does.
	 */
	private static int call(MdnsRegistry registry, String service, String endpoint, String json) {
		try (Micro micro = micro(registry)) {
			long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			while (true) {
				try {
					RawBody response = micro.client().call(new Request(service, endpoint, RawBody.of(json)), RawBody.class,
							CallOptions.DEFAULTS);
					System.out.println(JSON.readTree(response.utf8()));
					return 0;
				} catch (MicroError e) {
					boolean notFound = e.code() == 500 && Client.ERROR_ID.equals(e.id()) && e.detail().contains("not found");
					if (!notFound || System.nanoTime() > end) {
						System.out.println(e.toJson());
						return 1;
					}
				}
				Thread.sleep(200);
			}
		} catch (Exception e) {
			System.out.println(MicroError.from("java-peer", e).toJson());
			return 1;
		}
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
