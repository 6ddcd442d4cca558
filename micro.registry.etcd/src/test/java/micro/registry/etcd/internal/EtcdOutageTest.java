package micro.registry.etcd.internal;

import static micro.registry.etcd.internal.EtcdRegistryTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import micro.client.CallOptions;
import micro.client.Request;
import micro.client.internal.RpcClient;
import micro.codec.internal.Codecs;
import micro.config.MicroConfig;
import micro.registry.Node;
import micro.registry.RegistryException;
import micro.registry.Watch;
import micro.registry.WatchEvent;
import micro.registry.cache.RegistryCache;
import micro.selector.internal.RegistrySelector;
import micro.server.ServerOptions;
import micro.server.internal.RpcServer;
import micro.transport.internal.HttpTransport;

/**
 * etcd stops while a service serves and a client calls it: calls go on from the registry cache, and when etcd is back
 * the server's own re-registration loop puts the node back (also into an etcd that lost everything), and watches
 * resume. The outage lasts {@code -Detcd.outage.seconds} (default 60, as the issue asks).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdOutageTest {
	@RegisterExtension
	static final EtcdServer ETCD = new EtcdServer();

	private static final ObjectMapper JSON = new ObjectMapper();
	private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("etcd.outage.seconds", 60));
	private static final Duration TTL = Duration.ofSeconds(6);
	private static final Duration INTERVAL = Duration.ofSeconds(1);
	private static final String SERVICE = "go.micro.srv.greeter";

	public record Hello(String name) {
	}

	public record Greeting(String msg) {
	}

	public static class Greeter {
		public Greeting hello(Hello h) {
			return new Greeting("Hello " + h.name());
		}
	}

	private final Codecs codecs = new Codecs();
	private final HttpTransport transport = new HttpTransport();
	private EtcdRegistry serverRegistry;
	private EtcdRegistry clientRegistry;
	private RegistryCache cache;
	private RpcServer server;
	private RpcClient client;

	@BeforeEach
	void start() throws Exception {
		ETCD.start();
		EtcdOptions options = EtcdOptions.of(ETCD.endpoint()).withTimeout(Duration.ofSeconds(2));
		// the server and the client each have their own registry, as two processes would
		serverRegistry = new EtcdRegistry(options);
		clientRegistry = new EtcdRegistry(options);
		MicroConfig config = MicroConfig.of(Map.of(MicroConfig.CLIENT_RETRIES, "1"));
		server = new RpcServer(ServerOptions.named(SERVICE).withRegistration(TTL, INTERVAL), config, serverRegistry,
				null, transport, codecs);
		server.handle(new Greeter());
		server.start();
		cache = new RegistryCache(clientRegistry);
		client = new RpcClient(config, new RegistrySelector(cache), transport, codecs, null);
	}

	@AfterEach
	void stop() {
		client.close();
		cache.close();
		server.stop();
		serverRegistry.close();
		clientRegistry.close();
	}

	private String call(String name) {
		return client.call(new Request(SERVICE, "Greeter.Hello", new Hello(name)), Greeting.class,
				CallOptions.DEFAULTS.withTimeout(Duration.ofSeconds(3))).msg();
	}

	private String key() {
		return EtcdRecords.nodeKey(SERVICE, server.nodeId());
	}

	private long lease() throws Exception {
		JsonNode kvs = JSON.readTree(ETCD.etcdctl("get", key(), "-w", "json")).get("kvs");
		return kvs == null || kvs.isEmpty() ? -1 : kvs.get(0).path("lease").asLong(0);
	}

	@Test
	@Order(1)
	void callsGoOnDuringAnOutageAndTheNodeStaysRegisteredAfterIt() throws Exception {
		assertEquals("Hello before", call("before"));
		long leaseBefore = lease();
		assertTrue(leaseBefore > 0);

		Set<String> watched = ConcurrentHashMap.newKeySet();
		try (Watch watch = clientRegistry.watch(null, e -> {
			if (e.action() == WatchEvent.Action.CREATE) {
				watched.add(e.service().nodes().get(0).id());
			}
		})) {
			ETCD.stop();
			long end = System.nanoTime() + OUTAGE.toNanos();
			int calls = 0;
			// the cache's TTL (1 minute) runs out during a long outage: it then serves the stale entry
			while (System.nanoTime() < end) {
				assertEquals("Hello during " + calls, call("during " + calls));
				calls++;
				Thread.sleep(Math.max(100, Math.min(OUTAGE.toMillis() / 4, 5000)));
			}
			assertTrue(calls >= 2, "called during the outage");
			// the registry itself says clearly what is wrong, and quickly
			long start = System.nanoTime();
			RegistryException e = assertThrows(RegistryException.class, () -> clientRegistry.getService(SERVICE));
			assertTrue(e.getMessage().startsWith("etcd at " + ETCD.endpoint() + " unreachable"), e.getMessage());
			assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "within the timeout");

			ETCD.start();
			// etcd restored its leases; the server's loop keeps this one alive again: the key outlives a whole TTL
			Thread.sleep(TTL.toMillis() + 2000);
			assertEquals(leaseBefore, lease(), "the same lease, kept alive by the re-registration loop");
			assertEquals(List.of(server.nodeId()),
					clientRegistry.getService(SERVICE).get(0).nodes().stream().map(Node::id).toList());

			// the watch opened before the outage is live again
			serverRegistry.register(EtcdRegistryTest.service("after.outage", "1", "after-1"), TTL);
			await("the old watch sees a change after the outage", Duration.ofSeconds(10),
					() -> watched.contains("after-1"));
		}
		assertEquals("Hello after", call("after"));
	}

	@Test
	@Order(2)
	void anEtcdThatLostEverythingGetsTheNodeBackFromTheLoop() throws Exception {
		assertEquals("Hello before", call("before"));
		Set<String> watched = ConcurrentHashMap.newKeySet();
		try (Watch watch = clientRegistry.watch(null, e -> watched.add(e.service().nodes().get(0).id()))) {
			ETCD.stopAndWipe();
			Thread.sleep(3000);
			assertEquals("Hello wiped", call("wiped"));
			ETCD.start();
			assertEquals(-1, lease(), "a new etcd knows nothing");

			// nobody acts: the next re-registrations find the lease gone, grant a new one and put the key
			await("the node is registered again", Duration.ofSeconds(15), () -> {
				try {
					return lease() > 0;
				} catch (Exception e) {
					throw new AssertionError(e);
				}
			});
			assertEquals(server.nodeId(),
					clientRegistry.getService(SERVICE).get(0).nodes().get(0).id());
			// the watch started again from the new etcd's revisions
			await("the watch sees changes in the new etcd", Duration.ofSeconds(15), () -> {
				try {
					serverRegistry.register(EtcdRegistryTest.service("fresh", "1", "fresh-1"), Duration.ofSeconds(30));
					serverRegistry.deregister(EtcdRegistryTest.service("fresh", "1", "fresh-1"));
				} catch (RegistryException e) {
					throw new AssertionError(e);
				}
				return watched.contains("fresh-1");
			});
		}
		cache.invalidate(SERVICE);
		assertEquals("Hello again", call("again"));
	}
}
