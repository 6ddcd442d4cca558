package micro.registry.mdns.internal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import micro.registry.Node;
import micro.registry.Service;

/**
 * The other process of {@link TwoProcessTest}: registers a service with the default options (loopback, port 5353),
 * then follows commands on stdin: {@code lookup <name>} prints {@code found <address>} or {@code missing}; {@code stop}
 * (or the end of stdin) closes the registry, which says goodbye.
 */
public final class MdnsPeerMain {
	public static void main(String[] args) throws Exception {
		String name = args[0];
		String nodeId = args[1];
		String address = args[2];
		try (MdnsRegistry registry = new MdnsRegistry(MdnsOptions.defaults())) {
			registry.register(new Service(name, "latest", null, List.of(),
					List.of(new Node(nodeId, address, Map.of("process", "peer")))), Duration.ofSeconds(90));
			System.out.println("registered");
			System.out.flush();
			BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
			String line;
			while ((line = in.readLine()) != null && !line.equals("stop")) {
				if (line.startsWith("lookup ")) {
					List<Service> found = registry.getService(line.substring(7).trim());
					System.out.println(found.isEmpty() ? "missing" : "found " + found.get(0).nodes().get(0).address());
					System.out.flush();
				}
			}
		}
		System.out.println("closed");
	}
}
