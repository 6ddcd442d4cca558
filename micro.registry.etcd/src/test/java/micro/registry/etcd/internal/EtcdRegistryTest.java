package micro.registry.etcd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import micro.registry.Endpoint;
import micro.registry.Node;
import micro.registry.RegistryException;
import micro.registry.Service;
import micro.registry.Value;
import micro.registry.Watch;
import micro.registry.WatchEvent;

/** The registry against a real etcd: layout, leases, lookups, watches, errors. */
class EtcdRegistryTest {
	@RegisterExtension
	static final EtcdServer ETCD = new EtcdServer();

	private static final ObjectMapper JSON = new ObjectMapper();
	private static final Duration TTL = Duration.ofSeconds(30);

	private EtcdRegistry registry;

	@BeforeEach
	void open() throws Exception {
		ETCD.etcdctl("del", "--prefix", "/micro/");
		registry = new EtcdRegistry(EtcdOptions.of(ETCD.endpoint()));
	}

	@AfterEach
	void close() {
		registry.close();
	}

	static Service service(String name, String version, String... nodeIds) {
		List<Node> nodes = new ArrayList<>();
		int port = 40000;
		for (String id : nodeIds) {
			nodes.add(new Node(id, "127.0.0.1:" + port++, Map.of("broker", "http", "protocol", "mucp", "registry",
					"etcd", "server", "mucp", "transport", "http")));
		}
		Endpoint call = new Endpoint("Example.Call",
				new Value("Request", "Request", List.of(new Value("name", "string", null))),
				new Value("Response", "Response", List.of(new Value("msg", "string", null))), Map.of());
		return new Service(name, version, Map.of(), List.of(call), nodes);
	}

	private JsonNode etcdValue(String key) throws Exception {
		String out = ETCD.etcdctl("get", key, "--print-value-only");
		assertFalse(out.isBlank(), "no value at " + key);
		return JSON.readTree(out);
	}

	private long lease(String key) throws Exception {
		JsonNode rsp = JSON.readTree(ETCD.etcdctl("get", key, "-w", "json"));
		JsonNode kvs = rsp.get("kvs");
		if (kvs == null || kvs.isEmpty()) {
			return -1;
		}
		return kvs.get(0).path("lease").asLong(0);
	}

	static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + limit.toNanos();
		while (System.nanoTime() < deadline) {
			if (condition.getAsBoolean()) {
				return;
			}
			Thread.sleep(50);
		}
		assertTrue(condition.getAsBoolean(), what + " within " + limit);
	}

	@Test
	void registersOneKeyPerNodeInGoMicrosLayout() throws Exception {
		registry.register(service("go.micro.srv.example", "latest", "go.micro.srv.example-1", "go.micro.srv.example-2"),
				TTL);

		String keys = ETCD.etcdctl("get", "--prefix", "/micro/registry/", "--keys-only");
		assertEquals(List.of("/micro/registry/go.micro.srv.example/go.micro.srv.example-1",
				"/micro/registry/go.micro.srv.example/go.micro.srv.example-2"),
				keys.lines().filter(l -> !l.isBlank()).toList());

		// the value as Go reads it: go-micro's key names, exactly one node
		JsonNode v = etcdValue("/micro/registry/go.micro.srv.example/go.micro.srv.example-2");
		List<String> fields = new ArrayList<>();
		v.fieldNames().forEachRemaining(fields::add);
		assertEquals(List.of("name", "version", "metadata", "endpoints", "nodes"), fields);
		assertEquals("go.micro.srv.example", v.get("name").asText());
		assertEquals("latest", v.get("version").asText());
		assertEquals(1, v.get("nodes").size());
		JsonNode node = v.get("nodes").get(0);
		assertEquals("go.micro.srv.example-2", node.get("id").asText());
		assertEquals("127.0.0.1:40001", node.get("address").asText());
		assertEquals("mucp", node.get("metadata").get("protocol").asText());
		JsonNode endpoint = v.get("endpoints").get(0);
		assertEquals("Example.Call", endpoint.get("name").asText());
		assertEquals("msg", endpoint.get("response").get("values").get(0).get("name").asText());
		assertTrue(endpoint.has("metadata"));

		// under a lease of the TTL
		long lease = lease("/micro/registry/go.micro.srv.example/go.micro.srv.example-1");
		assertTrue(lease > 0, "the key has a lease");
		String ttl = ETCD.etcdctl("lease", "timetolive", Long.toHexString(lease));
		assertTrue(ttl.contains("granted with TTL(30s)"), ttl);
	}

	@Test
	void slashesInNamesBecomeDashes() throws Exception {
		registry.register(service("a/b", "1", "node/1"), TTL);
		assertFalse(ETCD.etcdctl("get", "/micro/registry/a-b/node-1", "--keys-only").isBlank());
		assertEquals("a/b", registry.getService("a/b").get(0).name());
	}

	@Test
	void getServiceGroupsNodesByVersion() throws Exception {
		registry.register(service("greeter", "1.0", "greeter-a", "greeter-b"), TTL);
		registry.register(service("greeter", "2.0", "greeter-c"), TTL);
		registry.register(service("other", "1.0", "other-a"), TTL);

		List<Service> found = registry.getService("greeter");
		assertEquals(2, found.size());
		Map<String, Set<String>> nodesByVersion = new ConcurrentHashMap<>();
		for (Service s : found) {
			assertEquals("greeter", s.name());
			assertEquals(1, s.endpoints().size());
			nodesByVersion.put(s.version(), Set.copyOf(s.nodes().stream().map(Node::id).toList()));
		}
		assertEquals(Map.of("1.0", Set.of("greeter-a", "greeter-b"), "2.0", Set.of("greeter-c")), nodesByVersion);

		assertEquals(List.of(), registry.getService("nobody"));
		// a prefix of another name is not that service
		assertEquals(List.of(), registry.getService("greet"));
	}

	@Test
	void listServicesGroupsByNameAndVersionSortedByName() throws Exception {
		registry.register(service("zeta", "1", "zeta-1"), TTL);
		registry.register(service("alpha", "1", "alpha-1", "alpha-2"), TTL);
		registry.register(service("alpha", "2", "alpha-3"), TTL);

		List<Service> all = registry.listServices();
		assertEquals(List.of("alpha", "alpha", "zeta"), all.stream().map(Service::name).toList());
		Service alpha1 = all.stream().filter(s -> s.name().equals("alpha") && s.version().equals("1")).findFirst()
				.orElseThrow();
		assertEquals(2, alpha1.nodes().size());
	}

	@Test
	void deregisterDeletesTheNodesKey() throws Exception {
		Service s = service("greeter", "1", "greeter-a", "greeter-b");
		registry.register(s, TTL);
		registry.deregister(s.withNodes(List.of(s.nodes().get(0))));
		List<Service> left = registry.getService("greeter");
		assertEquals(List.of("greeter-b"), left.get(0).nodes().stream().map(Node::id).toList());
		assertTrue(ETCD.etcdctl("get", "/micro/registry/greeter/greeter-a").isBlank());
	}

	@Test
	void reRegistrationKeepsTheLeaseAliveWithoutWriting() throws Exception {
		Service s = service("keeper", "1", "keeper-1");
		String key = "/micro/registry/keeper/keeper-1";
		registry.register(s, Duration.ofSeconds(3));
		long lease = lease(key);
		long modRevision = JSON.readTree(ETCD.etcdctl("get", key, "-w", "json")).get("kvs").get(0)
				.get("mod_revision").asLong();
		// re-register every second for longer than the TTL: the key must outlive its TTL, on the same lease, unwritten
		for (int i = 0; i < 5; i++) {
			Thread.sleep(1000);
			registry.register(s, Duration.ofSeconds(3));
		}
		assertEquals(lease, lease(key));
		assertEquals(modRevision, JSON.readTree(ETCD.etcdctl("get", key, "-w", "json")).get("kvs").get(0)
				.get("mod_revision").asLong(), "an unchanged record is not written again");
	}

	@Test
	void aChangedRecordIsWrittenAgain() throws Exception {
		registry.register(service("changer", "1", "changer-1"), TTL);
		Service changed = new Service("changer", "1", Map.of("new", "yes"), List.of(),
				service("changer", "1", "changer-1").nodes());
		registry.register(changed, TTL);
		assertEquals("yes", etcdValue("/micro/registry/changer/changer-1").get("metadata").get("new").asText());
	}

	@Test
	void theKeyExpiresWithItsLeaseWhenNotRenewed() throws Exception {
		registry.register(service("mortal", "1", "mortal-1"), Duration.ofSeconds(2));
		assertEquals(1, registry.getService("mortal").size());
		await("the key expires", Duration.ofSeconds(8), () -> {
			try {
				return registry.getService("mortal").isEmpty();
			} catch (RegistryException e) {
				throw new AssertionError(e);
			}
		});
	}

	@Test
	void aLostLeaseIsGrantedAgainOnTheNextRegistration() throws Exception {
		Service s = service("phoenix", "1", "phoenix-1");
		String key = "/micro/registry/phoenix/phoenix-1";
		registry.register(s, TTL);
		long lease = lease(key);
		// the lease is gone (as after an expiry during an outage): revoking it also deletes the key
		ETCD.etcdctl("lease", "revoke", Long.toHexString(lease));
		assertEquals(-1, lease(key));

		registry.register(s, TTL);
		long again = lease(key);
		assertTrue(again > 0 && again != lease, "a new lease");
		assertEquals("phoenix-1", etcdValue(key).get("nodes").get(0).get("id").asText());
	}

	private static List<String> leases() throws Exception {
		return ETCD.etcdctl("lease", "list").lines().filter(l -> l.matches("[0-9a-f]+")).sorted().toList();
	}

	@Test
	void aFreshProcessAdoptsTheLeaseOfItsExistingKey() throws Exception {
		Service s = service("adopter", "1", "adopter-1");
		String key = "/micro/registry/adopter/adopter-1";
		registry.register(s, TTL);
		long lease = lease(key);
		List<String> leases = leases();
		long modRevision = JSON.readTree(ETCD.etcdctl("get", key, "-w", "json")).get("kvs").get(0)
				.get("mod_revision").asLong();

		try (EtcdRegistry restarted = new EtcdRegistry(EtcdOptions.of(ETCD.endpoint()))) {
			restarted.register(s, TTL);
			assertEquals(lease, lease(key), "the same lease");
			assertEquals(modRevision, JSON.readTree(ETCD.etcdctl("get", key, "-w", "json")).get("kvs").get(0)
					.get("mod_revision").asLong(), "the unchanged record is not written again");
			// the lease granted alongside the read, in case there was nothing to adopt, is revoked
			await("the unused lease is revoked", Duration.ofSeconds(5), () -> {
				try {
					return leases().equals(leases);
				} catch (Exception e) {
					throw new AssertionError(e);
				}
			});
			// and the adopted lease is the one kept alive from now on
			restarted.register(s, TTL);
			assertEquals(lease, lease(key));
		}
	}

	@Test
	void aFreshProcessWithAChangedRecordWritesItUnderTheLeaseGrantedAlongside() throws Exception {
		String key = "/micro/registry/changed/changed-1";
		registry.register(service("changed", "1", "changed-1"), TTL);
		long lease = lease(key);

		try (EtcdRegistry restarted = new EtcdRegistry(EtcdOptions.of(ETCD.endpoint()))) {
			restarted.register(service("changed", "2", "changed-1"), Duration.ofSeconds(20));
			assertEquals("2", etcdValue(key).get("version").asText());
			long again = lease(key);
			assertTrue(again > 0 && again != lease, "a new lease");
			String ttl = ETCD.etcdctl("lease", "timetolive", Long.toHexString(again));
			assertTrue(ttl.contains("granted with TTL(20s)"), ttl);
		}
	}

	@Test
	void aKeyWithoutALeaseIsWrittenAgainUnderOne() throws Exception {
		String key = "/micro/registry/leaseless/leaseless-1";
		ETCD.etcdctlWithInput(new String(EtcdRecords.encode(service("leaseless", "1", "leaseless-1"),
				service("leaseless", "1", "leaseless-1").nodes().get(0)), java.nio.charset.StandardCharsets.UTF_8),
				"put", key);
		assertEquals(0, lease(key));
		registry.register(service("leaseless", "1", "leaseless-1"), TTL);
		assertTrue(lease(key) > 0, "under a lease now");
	}

	@Test
	void withoutATtlTheKeyHasNoLease() throws Exception {
		String key = "/micro/registry/forever/forever-1";
		List<String> leases = leases();
		registry.register(service("forever", "1", "forever-1"), Duration.ZERO);
		assertEquals(0, lease(key));
		assertEquals(leases, leases(), "no lease granted");
	}

	@Test
	void readsARecordWrittenByGo() throws Exception {
		// micro-v2.md §7.3, as go-micro's etcd registry writes it (Go's nulls included), under Go's key
		String goJson = """
				{"name":"go.micro.srv.example","version":"latest","metadata":null,\
				"endpoints":[{"name":"Example.Call",\
				"request":{"name":"Request","type":"Request","values":[{"name":"name","type":"string","values":null}]},\
				"response":{"name":"Response","type":"Response","values":[{"name":"msg","type":"string","values":null}]},\
				"metadata":{}}],\
				"nodes":[{"id":"go.micro.srv.example-2c5f","address":"192.168.1.10:54321",\
				"metadata":{"broker":"http","protocol":"mucp","registry":"mdns","server":"mucp","transport":"http"}}]}""";
		ETCD.etcdctlWithInput(goJson, "put", "/micro/registry/go.micro.srv.example/go.micro.srv.example-2c5f");

		List<Service> found = registry.getService("go.micro.srv.example");
		assertEquals(1, found.size());
		Service s = found.get(0);
		assertEquals("latest", s.version());
		assertEquals(Map.of(), s.metadata());
		Endpoint e = s.endpoints().get(0);
		assertEquals("Example.Call", e.name());
		assertEquals(List.of(new Value("name", "string", List.of())), e.request().values());
		assertEquals("msg", e.response().values().get(0).name());
		Node n = s.nodes().get(0);
		assertEquals("go.micro.srv.example-2c5f", n.id());
		assertEquals("192.168.1.10:54321", n.address());
		assertEquals("mucp", n.metadata().get("protocol"));
		assertEquals(List.of("go.micro.srv.example"), registry.listServices().stream().map(Service::name).toList());
	}

	@Test
	void skipsRecordsThatAreNotServices() throws Exception {
		ETCD.etcdctl("put", "/micro/registry/broken/broken-1", "not json");
		ETCD.etcdctlWithInput("[1,2]", "put", "/micro/registry/broken/broken-2");
		registry.register(service("broken", "1", "broken-3"), TTL);
		List<Service> found = registry.getService("broken");
		assertEquals(List.of("broken-3"), found.get(0).nodes().stream().map(Node::id).toList());
	}

	@Test
	void watchSeesCreateUpdateAndDelete() throws Exception {
		BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
		try (Watch w = registry.watch(null, events::add)) {
			Service s = service("watched", "1", "watched-1");
			registry.register(s, TTL);
			WatchEvent created = events.poll(5, TimeUnit.SECONDS);
			assertNotNull(created);
			assertEquals(WatchEvent.Action.CREATE, created.action());
			assertEquals("watched-1", created.service().nodes().get(0).id());

			registry.register(new Service("watched", "1", Map.of("k", "v"), List.of(), s.nodes()), TTL);
			WatchEvent updated = events.poll(5, TimeUnit.SECONDS);
			assertNotNull(updated);
			assertEquals(WatchEvent.Action.UPDATE, updated.action());
			assertEquals("v", updated.service().metadata().get("k"));

			registry.deregister(s);
			WatchEvent deleted = events.poll(5, TimeUnit.SECONDS);
			assertNotNull(deleted);
			assertEquals(WatchEvent.Action.DELETE, deleted.action());
			assertEquals("watched", deleted.service().name());
			assertEquals("watched-1", deleted.service().nodes().get(0).id());
		}
	}

	@Test
	void aServiceWatchSeesOnlyThatService() throws Exception {
		BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
		try (Watch w = registry.watch("mine", events::add)) {
			registry.register(service("mine-not", "1", "x-1"), TTL);
			registry.register(service("other", "1", "o-1"), TTL);
			registry.register(service("mine", "1", "m-1"), TTL);
			WatchEvent e = events.poll(5, TimeUnit.SECONDS);
			assertNotNull(e);
			assertEquals("mine", e.service().name());
			assertNull(events.poll(300, TimeUnit.MILLISECONDS));
		}
	}

	@Test
	void aClosedWatchReportsNothingMore() throws Exception {
		BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
		Watch w = registry.watch(null, events::add);
		registry.register(service("first", "1", "first-1"), TTL);
		assertNotNull(events.poll(5, TimeUnit.SECONDS));
		w.close();
		registry.register(service("second", "1", "second-1"), TTL);
		assertNull(events.poll(500, TimeUnit.MILLISECONDS));
	}

	@Test
	void aFloodOfChangesDoesNotStallTheWatch() throws Exception {
		int count = 300;
		Set<String> seen = ConcurrentHashMap.newKeySet();
		// a slow listener must not hold up etcd's I/O nor the registry's other operations
		try (Watch w = registry.watch(null, e -> {
			seen.add(e.service().nodes().get(0).id());
			try {
				Thread.sleep(2);
			} catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		})) {
			List<Thread> writers = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				int offset = t;
				Thread writer = new Thread(() -> {
					try {
						for (int i = offset; i < count; i += 4) {
							registry.register(service("flood", "1", "flood-" + i), TTL);
						}
					} catch (RegistryException e) {
						throw new AssertionError(e);
					}
				});
				writer.start();
				writers.add(writer);
			}
			for (Thread writer : writers) {
				writer.join(20000);
			}
			long start = System.nanoTime();
			assertEquals(count, registry.getService("flood").get(0).nodes().size());
			assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "lookups stay fast");
			await("every create event arrives", Duration.ofSeconds(10), () -> seen.size() == count);
			registry.register(service("after-flood", "1", "after-1"), TTL);
			await("a later change still arrives", Duration.ofSeconds(5), () -> seen.contains("after-1"));
		}
	}

	@Test
	void aQuickListenerIsCalledOnJetcdsThread() throws Exception {
		BlockingQueue<String> threads = new LinkedBlockingQueue<>();
		try (Watch w = registry.watch(null, e -> threads.add(Thread.currentThread().getName()))) {
			registry.register(service("quick", "1", "quick-1"), TTL);
			String thread = threads.poll(5, TimeUnit.SECONDS);
			assertNotNull(thread);
			assertFalse(thread.startsWith("etcd-registry-watch"), "no hand-off to the watch's thread: " + thread);
		}
	}

	@Test
	void aSlowListenerMovesToTheWatchsThreadAndBackWhenItIsQuickAgain() throws Exception {
		BlockingQueue<String> threads = new LinkedBlockingQueue<>();
		try (Watch w = registry.watch(null, e -> {
			threads.add(e.service().nodes().get(0).id() + " " + Thread.currentThread().getName());
			if (e.service().name().equals("slow")) {
				try {
					Thread.sleep(20);
				} catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		})) {
			registry.register(service("slow", "1", "slow-1"), TTL);
			String first = threads.poll(5, TimeUnit.SECONDS);
			assertNotNull(first);
			assertFalse(first.contains("etcd-registry-watch"), first);
			// after a slow call, the next event goes through the watch's own thread
			registry.register(service("slow", "1", "slow-2"), TTL);
			String second = threads.poll(5, TimeUnit.SECONDS);
			assertNotNull(second);
			assertTrue(second.startsWith("slow-2 etcd-registry-watch"), second);
			// once it has caught up with quick calls, events are delivered on jetcd's thread again (the machine may be
			// busy enough to make a quick call slow now and then: a few tries)
			boolean back = false;
			for (int i = 0; i < 20 && !back; i++) {
				registry.register(service("quick", "1", "quick-" + i), TTL);
				String next = threads.poll(5, TimeUnit.SECONDS);
				assertNotNull(next);
				back = !next.contains("etcd-registry-watch");
			}
			assertTrue(back, "back on jetcd's thread");
		}
	}

	@Test
	void aListenerThatCallsTheRegistryGetsItsAnswersOnTheWatchsThread() throws Exception {
		Set<String> found = ConcurrentHashMap.newKeySet();
		List<String> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
		try (Watch w = registry.watch(null, e -> {
			try {
				List<Service> s = registry.getService(e.service().name());
				if (!s.isEmpty()) {
					found.add(e.service().name() + " " + Thread.currentThread().getName());
				}
			} catch (RegistryException x) {
				refused.add(x.getMessage());
			}
		})) {
			long start = System.nanoTime();
			registry.register(service("caller-1", "1", "c-1"), TTL);
			registry.register(service("caller-2", "1", "c-2"), TTL);
			registry.register(service("caller-3", "1", "c-3"), TTL);
			assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "the registry does not stall");
			await("every event's look-up answered", Duration.ofSeconds(10), () -> found.size() == 3);
			for (String f : found) {
				assertTrue(f.contains("etcd-registry-watch"), f);
			}
			// only the first event's call was refused (and that event delivered again)
			assertEquals(1, refused.size(), refused.toString());
			assertTrue(refused.get(0).contains("called the registry on jetcd's event thread"), refused.get(0));
		}
	}

	@Test
	void badInputGivesClearErrors() {
		RegistryException noNodes = assertThrows(RegistryException.class,
				() -> registry.register(new Service("lonely", "1", null, null, null), TTL));
		assertTrue(noNodes.getMessage().contains("at least one node"), noNodes.getMessage());
		assertThrows(RegistryException.class, () -> registry.register(service("", "1", "x"), TTL));
		RegistryException badNode = assertThrows(RegistryException.class,
				() -> registry.register(service("svc", "1", ""), TTL));
		assertTrue(badNode.getMessage().contains("node id"), badNode.getMessage());
		assertThrows(RegistryException.class, () -> registry.getService(""));
		assertThrows(RegistryException.class, () -> registry.getService(".."));
		assertThrows(RegistryException.class, () -> registry.watch(null, null));
	}

	@Test
	void anUnreachableAddressFailsClearlyWithinTheTimeout() throws Exception {
		int closedPort = EtcdServer.freePort();
		try (EtcdRegistry nowhere = new EtcdRegistry(
				EtcdOptions.of("127.0.0.1:" + closedPort).withTimeout(Duration.ofSeconds(2)))) {
			long start = System.nanoTime();
			RegistryException e = assertThrows(RegistryException.class, () -> nowhere.getService("x"));
			long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			assertTrue(e.getMessage().startsWith("etcd at 127.0.0.1:" + closedPort + " unreachable: "), e.getMessage());
			assertTrue(millis < 3000, "failed after " + millis + " ms");

			start = System.nanoTime();
			e = assertThrows(RegistryException.class,
					() -> nowhere.register(service("s", "1", "s-1"), Duration.ofSeconds(10)));
			millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
			assertTrue(millis < 3000, "failed after " + millis + " ms");

			e = assertThrows(RegistryException.class, () -> nowhere.watch(null, event -> {
			}));
			assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
		}
		// the registry on the right address is untouched by it
		registry.register(service("still", "1", "still-1"), TTL);
		assertEquals(1, registry.getService("still").size());
	}

	@Test
	void anUnknownHostFailsClearly() {
		try (EtcdRegistry nowhere = new EtcdRegistry(
				EtcdOptions.of("no-such-host.invalid").withTimeout(Duration.ofSeconds(2)))) {
			RegistryException e = assertThrows(RegistryException.class, nowhere::listServices);
			assertTrue(e.getMessage().startsWith("etcd at no-such-host.invalid:2379 unreachable"), e.getMessage());
		}
	}

	@Test
	void severalEndpointsWorkWhenOneIsDown() throws Exception {
		int closedPort = EtcdServer.freePort();
		try (EtcdRegistry two = new EtcdRegistry(
				EtcdOptions.of("127.0.0.1:" + closedPort + "," + ETCD.endpoint()))) {
			two.register(service("multi", "1", "multi-1"), TTL);
			assertEquals(1, registry.getService("multi").size());
			assertEquals(1, two.getService("multi").size());
		}
	}

	/** A component reconfigured while a call waits on its registry: the caller is told that, not jetcd's executor's refusal. */
	@Test
	void aCallWaitingWhenTheRegistryClosesSaysSo() throws Exception {
		try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
				EtcdRegistry waiting = new EtcdRegistry(
						EtcdOptions.of("127.0.0.1:" + silent.getLocalPort()).withTimeout(Duration.ofSeconds(5)))) {
			java.util.concurrent.CompletableFuture<Exception> failure = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
				try {
					waiting.listServices();
					return null;
				} catch (RegistryException e) {
					return e;
				}
			});
			try (java.net.Socket accepted = silent.accept()) { // the call is on its way: etcd "hangs"
				waiting.close();
				Exception e = failure.get(15, TimeUnit.SECONDS);
				assertNotNull(e, "no etcd answered, yet the call succeeded");
				assertTrue(e.getMessage().startsWith("etcd registry at 127.0.0.1:" + silent.getLocalPort()
						+ " was closed during "), e.getMessage());
			}
		}
	}

	/**
	 * close() returns once jetcd's I/O threads have ended: a bundle being uninstalled right after must not have them
	 * loading its classes (Vert.x's close() answered a second caller at once, and jetcd's client closes it first).
	 */
	@Test
	void closeReturnsOnceItsIoThreadsHaveEnded() throws Exception {
		java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
		EtcdRegistry own = new EtcdRegistry(EtcdOptions.of(ETCD.endpoint()));
		own.register(service("go.micro.srv.closing", "1.0", "n1"), TTL);
		own.deregister(service("go.micro.srv.closing", "1.0", "n1"));
		own.close();
		List<String> left = Thread.getAllStackTraces().keySet().stream()
				.filter(t -> !before.contains(t) && t.isAlive() && t.getName().startsWith("vert.x-"))
				.map(Thread::getName).toList();
		assertEquals(List.of(), left, "Vert.x threads still running after close()");
	}

	@Test
	void aClosedRegistryRefusesOperations() {
		registry.close();
		RegistryException e = assertThrows(RegistryException.class, registry::listServices);
		assertTrue(e.getMessage().contains("closed"));
		assertNotEquals("", e.getMessage());
	}
}
