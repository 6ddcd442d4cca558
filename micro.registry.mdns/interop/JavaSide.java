import java.time.Duration;
import java.util.List;
import java.util.Map;

import micro.registry.Endpoint;
import micro.registry.Node;
import micro.registry.Service;
import micro.registry.Value;
import micro.registry.mdns.internal.MdnsOptions;
import micro.registry.mdns.internal.MdnsRegistry;

/** The Java peer of the go-micro interop check (see README.md); the same commands as main.go. */
public class JavaSide {
	public static void main(String[] args) throws Exception {
		String address = System.getenv().getOrDefault("MDNS_ADDRESS", "");
		try (MdnsRegistry registry = new MdnsRegistry(MdnsOptions.defaults().withAddress(address))) {
			switch (args[0]) {
			case "get" -> {
				long start = System.nanoTime();
				List<Service> found = registry.getService(args[1]);
				System.out.printf("java get %.1f ms%n", (System.nanoTime() - start) / 1e6);
				found.forEach(s -> s.nodes().forEach(n -> System.out.println("node " + s.version() + " " + n.id() + " "
						+ n.address() + " " + n.metadata() + " endpoints=" + s.endpoints().size())));
			}
			case "list" -> registry.listServices().forEach(s -> System.out.println("service " + s.name()));
			case "watch" -> {
				registry.watch(args[1], e -> System.out.println("watch " + e.action().wireName() + " "
						+ e.service().nodes().get(0).id() + " " + e.service().nodes().get(0).address()));
				Thread.sleep(Duration.parse("PT" + args[2].toUpperCase()).toMillis());
			}
			case "register" -> {
				Endpoint call = new Endpoint("Java.Call", new Value("Req", "Req", List.of(new Value("x", "int64", null))),
						null, Map.of());
				String host = address.isEmpty() ? "127.0.0.1" : "";
				registry.register(new Service(args[1], "latest", null, List.of(call),
						List.of(new Node(args[1] + "-java1", host + ":7070", Map.of("lang", "java")))), null);
				System.out.println("registered");
				Thread.sleep(Duration.parse("PT" + args[2].toUpperCase()).toMillis());
			}
			default -> throw new IllegalArgumentException(args[0]);
			}
		}
	}
}
