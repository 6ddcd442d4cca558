package micro.registry.etcd.internal;

import java.time.Duration;

/**
 * A node in its own JVM for {@link KilledNodeTest}: registers {@code service}/{@code node} with a TTL at the etcd
 * given, prints {@code registered}, then re-registers every second, as a server's loop does, until it is killed.
 */
public final class EtcdNodeMain {
	private EtcdNodeMain() {
	}

	public static void main(String[] args) throws Exception {
		String endpoint = args[0];
		String service = args[1];
		String node = args[2];
		Duration ttl = Duration.ofSeconds(Long.parseLong(args[3]));
		EtcdRegistry registry = new EtcdRegistry(EtcdOptions.of(endpoint));
		registry.register(EtcdRegistryTest.service(service, "1", node), ttl);
		System.out.println("registered");
		System.out.flush();
		while (true) {
			Thread.sleep(1000);
			registry.register(EtcdRegistryTest.service(service, "1", node), ttl);
		}
	}
}
