package micro.registry.mdns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import micro.config.MicroConfig;
import micro.registry.Endpoint;
import micro.registry.Node;
import micro.registry.RegistryException;
import micro.registry.Service;
import micro.registry.Value;
import micro.registry.Watch;
import micro.registry.WatchEvent;
import micro.registry.mdns.internal.DnsMessage.Question;
import micro.registry.mdns.internal.DnsMessage.ResourceRecord;

/**
 * Two registry instances (separate sockets) on loopback, on a port of their own so that nothing else on the machine
 * mixes in.
 */
class MdnsRegistryTest {
	static final InetAddress GROUP = address("224.0.0.251");

	int port;
	MdnsRegistry a;
	MdnsRegistry b;
	final List<AutoCloseable> closeables = new ArrayList<>();

	@BeforeEach
	void start() {
		port = ThreadLocalRandom.current().nextInt(20000, 60000);
		a = new MdnsRegistry(MdnsOptions.defaults().withPort(port));
		b = new MdnsRegistry(MdnsOptions.defaults().withPort(port));
	}

	@AfterEach
	void stop() throws Exception {
		for (AutoCloseable c : closeables) {
			c.close();
		}
		a.close();
		b.close();
	}

	static String uniqueName() {
		return "go.micro.srv.test" + UUID.randomUUID().toString().substring(0, 8);
	}

	static Service service(String name, String version, String nodeId, String address) {
		Endpoint call = new Endpoint("Example.Call",
				new Value("Request", "Request", List.of(new Value("name", "string", null))),
				new Value("Response", "Response", List.of(new Value("msg", "string", null))), Map.of("stream", "false"));
		Node node = new Node(nodeId, address, Map.of("protocol", "mucp", "transport", "http", "registry", "mdns"));
		return new Service(name, version, null, List.of(call), List.of(node));
	}

	@Test
	void registeredNodeIsFoundByAnotherInstance() throws Exception {
		String name = uniqueName();
		a.register(service(name, "latest", name + "-1", "127.0.0.1:54321"), Duration.ofSeconds(90));

		List<Service> found = b.getService(name);
		assertEquals(1, found.size(), "versions: " + found);
		Service s = found.get(0);
		assertEquals(name, s.name());
		assertEquals("latest", s.version());
		assertEquals(1, s.nodes().size());
		Node node = s.nodes().get(0);
		assertEquals(name + "-1", node.id());
		assertEquals("127.0.0.1:54321", node.address());
		assertEquals("mucp", node.metadata().get("protocol"));
		assertEquals(service(name, "latest", "x", "y:1").endpoints(), s.endpoints());
		assertEquals("string", s.endpoints().get(0).request().values().get(0).type());

		assertTrue(b.listServices().stream().anyMatch(x -> x.name().equals(name)), "listServices has " + name);
		assertTrue(a.getService("no.such.service" + UUID.randomUUID()).isEmpty());
	}

	@Test
	void deregisterSaysGoodbye() throws Exception {
		String name = uniqueName();
		Service svc = service(name, "latest", name + "-1", "127.0.0.1:1000");
		a.register(svc, Duration.ofSeconds(90));
		assertEquals(1, b.getService(name).size());

		a.deregister(svc);
		assertTrue(b.getService(name).isEmpty());
		assertTrue(b.listServices().stream().noneMatch(x -> x.name().equals(name)));
	}

	@Test
	void nodesOfTwoVersionsAreGrouped() throws Exception {
		String name = uniqueName();
		a.register(service(name, "1.0.0", name + "-a", "127.0.0.1:1001"), Duration.ofSeconds(90));
		a.register(service(name, "1.0.0", name + "-b", "127.0.0.1:1002"), Duration.ofSeconds(90));
		b.register(service(name, "2.0.0", name + "-c", "127.0.0.1:1003"), Duration.ofSeconds(90));

		List<Service> found = a.getService(name);
		assertEquals(2, found.size(), "versions: " + found);
		Service v1 = found.stream().filter(s -> s.version().equals("1.0.0")).findFirst().orElseThrow();
		Service v2 = found.stream().filter(s -> s.version().equals("2.0.0")).findFirst().orElseThrow();
		assertEquals(List.of("127.0.0.1:1001", "127.0.0.1:1002"),
				v1.nodes().stream().map(Node::address).sorted().toList());
		assertEquals(List.of(name + "-c"), v2.nodes().stream().map(Node::id).toList());
	}

	@Test
	void watchSeesCreateAndDelete() throws Exception {
		String name = uniqueName();
		BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
		Watch watch = b.watch(name, events::add);
		closeables.add(watch);
		BlockingQueue<WatchEvent> others = new LinkedBlockingQueue<>();
		closeables.add(b.watch("some.other.service", others::add));

		Service svc = service(name, "latest", name + "-1", "127.0.0.1:2000");
		a.register(svc, Duration.ofSeconds(90));
		WatchEvent created = events.poll(3, TimeUnit.SECONDS);
		assertEquals(WatchEvent.Action.CREATE, created.action());
		assertEquals(name, created.service().name());
		assertEquals("127.0.0.1:2000", created.service().nodes().get(0).address());
		assertEquals(name + "-1", created.service().nodes().get(0).id());

		a.deregister(svc);
		WatchEvent deleted = events.poll(3, TimeUnit.SECONDS);
		assertEquals(WatchEvent.Action.DELETE, deleted.action(), "after " + created + ": " + deleted);
		assertEquals(name + "-1", deleted.service().nodes().get(0).id());
		assertTrue(others.isEmpty(), "a watch of another service sees nothing: " + others);
	}

	@Test
	void registerIsIdempotentAndAnnouncesThreeTimes() throws Exception {
		String name = uniqueName();
		try (MulticastSocket raw = joinedSocket()) {
			Service svc = service(name, "latest", name + "-1", "127.0.0.1:3000");
			a.register(svc, Duration.ofSeconds(90));
			a.register(svc, Duration.ofSeconds(90)); // no second round of announcements
			List<DnsMessage> announcements = new ArrayList<>();
			long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4500);
			while (System.nanoTime() < end) {
				DnsMessage m = receive(raw, 200);
				if (m != null && m.isResponse() && m.answers().stream().anyMatch(r -> r.name().startsWith(name + "-1."))) {
					announcements.add(m);
				}
			}
			assertEquals(3, announcements.size());
			// go-micro's records: PTR, SRV (10, 1, port, host), A, TXT, all with TTL 120.
			List<ResourceRecord> records = announcements.get(0).answers();
			String instance = name + "-1." + name + ".micro.";
			assertEquals(ResourceRecord.ptr(name + ".micro.", 120, instance), records.get(0));
			ResourceRecord srv = records.get(1);
			assertEquals(instance, srv.name());
			assertEquals(List.of(10, 1, 3000, 120L), List.of(srv.priority(), srv.weight(), srv.port(), srv.ttl()));
			assertEquals(ResourceRecord.address(srv.target(), 120, address("127.0.0.1")), records.get(2));
			assertEquals(instance, records.get(3).name());
			assertEquals(name, MdnsTxt.decode(records.get(3).texts()).service());
		}
	}

	@Test
	void answersListAndDnsSdQuestions() throws Exception {
		String name = uniqueName();
		a.register(service(name, "latest", name + "-1", "127.0.0.1:4000"), Duration.ofSeconds(90));
		try (MulticastSocket asker = sender()) {
			List<ResourceRecord> services = ask(asker, "_services.micro.", DnsMessage.TYPE_PTR, name);
			String listInstance = name + "._services.micro.";
			assertEquals(ResourceRecord.ptr("_services.micro.", 120, listInstance), services.get(0));
			assertEquals(9999, services.get(1).port());
			assertEquals(address("0.0.0.0"), services.get(2).address());
			assertEquals(ResourceRecord.txt(listInstance, 120, List.of()), services.get(3));

			List<ResourceRecord> dnsSd = ask(asker, "_services._dns-sd._udp.micro.", DnsMessage.TYPE_PTR, name);
			assertTrue(dnsSd.contains(ResourceRecord.ptr("_services._dns-sd._udp.micro.", 120, "_services.micro.")));
			assertTrue(dnsSd.contains(ResourceRecord.ptr("_services._dns-sd._udp.micro.", 120, name + ".micro.")));

			// go-micro's client follows up an incomplete entry with a PTR question for the instance.
			List<ResourceRecord> instance = ask(asker, name + "-1." + name + ".micro.", DnsMessage.TYPE_PTR, name);
			assertEquals(List.of(DnsMessage.TYPE_SRV, DnsMessage.TYPE_A, DnsMessage.TYPE_TXT),
					instance.stream().map(ResourceRecord::type).toList());
		}
	}

	@Test
	void malformedTxtIsIgnoredAndTheRegistryKeepsWorking() throws Exception {
		String name = uniqueName();
		BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
		closeables.add(b.watch(name, events::add));
		long before = b.malformedRecords();
		try (MulticastSocket raw = sender()) {
			String validHexNotZlib = HexFormat.of().formatHex("{\"Service\":\"x\"}".getBytes());
			String notJson = MdnsTxtTest.zlibHex("{\"Service\":");
			int i = 0;
			for (List<String> txt : List.of(List.of("zz-not-hex"), List.of(validHexNotZlib), List.of(notJson))) {
				String instance = name + "-bad" + i++ + "." + name + ".micro.";
				DnsMessage m = DnsMessage.response(0, List.of(ResourceRecord.ptr(name + ".micro.", 120, instance),
						ResourceRecord.srv(instance, 120, 10, 1, 9, "evil."),
						ResourceRecord.address("evil.", 120, address("127.0.0.1")), ResourceRecord.txt(instance, 120, txt)));
				byte[] bytes = m.encode();
				raw.send(new DatagramPacket(bytes, bytes.length, GROUP, port));
			}
			byte[] garbage = { 1, 2, 3 };
			raw.send(new DatagramPacket(garbage, garbage.length, GROUP, port));
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
		while (b.malformedRecords() < before + 3 && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertEquals(before + 3, b.malformedRecords(), "each malformed TXT was seen and dropped");

		a.register(service(name, "latest", name + "-1", "127.0.0.1:5000"), Duration.ofSeconds(90));
		WatchEvent created = events.poll(3, TimeUnit.SECONDS);
		assertEquals(WatchEvent.Action.CREATE, created.action());
		assertEquals(name + "-1", created.service().nodes().get(0).id());
		List<Service> found = b.getService(name);
		assertEquals(List.of(name + "-1"), found.get(0).nodes().stream().map(Node::id).toList());
	}

	@Test
	void closeSaysGoodbyeForEverything() throws Exception {
		String name = uniqueName();
		MdnsRegistry c = new MdnsRegistry(MdnsOptions.defaults().withPort(port));
		c.register(service(name, "latest", name + "-1", "127.0.0.1:6000"), Duration.ofSeconds(90));
		assertEquals(1, b.getService(name).size());
		BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
		closeables.add(b.watch(name, events::add));
		assertEquals(WatchEvent.Action.CREATE, events.poll(3, TimeUnit.SECONDS).action());

		c.close();
		assertEquals(WatchEvent.Action.DELETE, events.poll(3, TimeUnit.SECONDS).action());
		assertTrue(b.getService(name).isEmpty());
		assertThrows(RegistryException.class, () -> c.getService(name));
	}

	@Test
	void badInputGetsClearErrors() throws Exception {
		RegistryException noPort = assertThrows(RegistryException.class,
				() -> a.register(service(uniqueName(), "latest", "n1", "127.0.0.1"), Duration.ofSeconds(1)));
		assertTrue(noPort.getMessage().contains("no port"), noPort.getMessage());
		RegistryException longLabel = assertThrows(RegistryException.class,
				() -> a.register(service(uniqueName(), "latest", "n".repeat(70), "127.0.0.1:1"), Duration.ofSeconds(1)));
		assertTrue(longLabel.getMessage().contains("63 bytes"), longLabel.getMessage());
		assertThrows(RegistryException.class, () -> a.register(service(" ", "latest", "n1", "127.0.0.1:1"), null));

		IllegalArgumentException notLocal = assertThrows(IllegalArgumentException.class,
				() -> new MdnsRegistry(MdnsOptions.defaults().withAddress("203.0.113.7").withPort(port)));
		assertTrue(notLocal.getMessage().contains("not an address of this machine"), notLocal.getMessage());
		assertThrows(IllegalArgumentException.class, () -> MdnsOptions.defaults().withAddress("0.0.0.0").resolve());
		assertThrows(IllegalArgumentException.class, () -> MdnsOptions.defaults().withAddress("nosuchif0").resolve());
		assertThrows(IllegalArgumentException.class, () -> MdnsOptions.defaults().withAddress("[::1]:5353"));
		assertThrows(IllegalArgumentException.class, () -> MdnsOptions.defaults().withQueryTimeout(Duration.ZERO));

		// Still working after all that.
		String name = uniqueName();
		a.register(service(name, "latest", name + "-1", ":7000"), Duration.ofSeconds(90));
		assertEquals("127.0.0.1:7000", b.getService(name).get(0).nodes().get(0).address(),
				"an empty host is the registry's interface address");
	}

	@Test
	void optionsFromConfig() {
		MdnsOptions defaults = MdnsOptions.fromConfig(MicroConfig.of(Map.of()));
		assertEquals(MdnsOptions.defaults(), defaults);
		assertEquals("", defaults.address());
		assertEquals("micro", defaults.domain());
		assertEquals(Duration.ofMillis(100), defaults.queryTimeout());
		assertEquals(Duration.ofSeconds(120), defaults.recordTtl());
		assertEquals(5353, defaults.port());
		MdnsOptions lo = MdnsOptions.fromConfig(MicroConfig.of(Map.of(MicroConfig.REGISTRY_ADDRESS, "lo")));
		assertEquals("lo", lo.address());
		MdnsOptions withPort = MdnsOptions.fromConfig(MicroConfig.of(Map.of(MicroConfig.REGISTRY_ADDRESS, "127.0.0.1:5454")));
		assertEquals(new MdnsOptions("127.0.0.1", "micro", null, null, 5454), withPort);
		assertEquals("local", MdnsOptions.defaults().withDomain("local.").domain());
	}

	@Test
	void componentRegistersOnTheConfiguredInterface() throws Exception {
		MdnsRegistryComponent component = new MdnsRegistryComponent();
		component.activate(Map.of(MicroConfig.REGISTRY_ADDRESS, "lo:" + port));
		try {
			assertEquals("mdns", component.name());
			String name = uniqueName();
			component.register(service(name, "latest", name + "-1", "127.0.0.1:8000"), Duration.ofSeconds(90));
			assertEquals(1, a.getService(name).size());
		} finally {
			component.deactivate();
		}
	}

	/**
	 * getService always takes its window (100 ms, as go-micro); the answers themselves arrive within milliseconds, so a
	 * shorter window also finds the node.
	 */
	@Test
	void discoveryLatency() throws Exception {
		String name = uniqueName();
		a.register(service(name, "latest", name + "-1", "127.0.0.1:9000"), Duration.ofSeconds(90));
		b.getService(name); // warm up
		int rounds = 5;
		long start = System.nanoTime();
		for (int i = 0; i < rounds; i++) {
			assertEquals(1, b.getService(name).size());
		}
		double windowed = (System.nanoTime() - start) / 1e6 / rounds;

		List<Double> answerMillis = new ArrayList<>();
		try (MulticastSocket asker = sender()) {
			for (int i = 0; i < 20; i++) {
				long t = System.nanoTime();
				ask(asker, name + ".micro.", DnsMessage.TYPE_PTR, name);
				answerMillis.add((System.nanoTime() - t) / 1e6);
			}
		}
		answerMillis.sort(null);
		double median = answerMillis.get(answerMillis.size() / 2);
		int found = 0;
		try (MdnsRegistry fast = new MdnsRegistry(MdnsOptions.defaults().withPort(port)
				.withQueryTimeout(Duration.ofMillis(10)))) {
			for (int i = 0; i < 10; i++) {
				found += fast.getService(name).size();
			}
		}
		System.out.printf("mDNS on loopback: getService %.1f ms (100 ms window); question to answer median %.2f ms,"
				+ " max %.2f ms; %d/10 found with a 10 ms window%n", windowed, median,
				answerMillis.get(answerMillis.size() - 1), found);
		assertTrue(windowed >= 100 && windowed < 1000, "getService takes its window: " + windowed);
		assertTrue(median < 50, "answers arrive quickly: median " + median + " ms");
		assertTrue(found > 0, "a 10 ms window finds the node");
	}

	// ---- raw sockets ----

	MulticastSocket joinedSocket() throws Exception {
		MulticastSocket s = new MulticastSocket(null);
		s.setReuseAddress(true);
		s.bind(new InetSocketAddress(GROUP, port));
		s.joinGroup(new InetSocketAddress(GROUP, 0), loopback());
		return s;
	}

	static MulticastSocket sender() throws Exception {
		MulticastSocket s = new MulticastSocket(new InetSocketAddress(address("127.0.0.1"), 0));
		s.setNetworkInterface(loopback());
		s.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
		return s;
	}

	/** Asks a question from a one-shot socket and returns the records of the answer that mentions {@code marker}. */
	List<ResourceRecord> ask(MulticastSocket socket, String name, int type, String marker) throws Exception {
		byte[] q = DnsMessage.query(42, List.of(new Question(name, type, false))).encode();
		socket.send(new DatagramPacket(q, q.length, GROUP, port));
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
		while (System.nanoTime() < end) {
			DnsMessage m = receive(socket, 200);
			if (m != null && m.isResponse() && m.answers().stream().anyMatch(r -> r.name().contains(marker)
					|| r.target() != null && r.target().contains(marker))) {
				assertEquals(42, m.id(), "a unicast answer carries the question's id");
				// go-micro's client drops answers that do not repeat its question.
				assertEquals(List.of(new Question(name, type, false)), m.questions());
				return m.answers();
			}
		}
		throw new AssertionError("no answer to " + name);
	}

	static DnsMessage receive(MulticastSocket socket, int timeoutMillis) throws Exception {
		socket.setSoTimeout(timeoutMillis);
		byte[] buffer = new byte[65536];
		DatagramPacket p = new DatagramPacket(buffer, buffer.length);
		try {
			socket.receive(p);
		} catch (SocketTimeoutException e) {
			return null;
		}
		try {
			return DnsMessage.decode(p.getData(), p.getLength());
		} catch (DnsMessage.MalformedMessageException e) {
			return null;
		}
	}

	static NetworkInterface loopback() throws Exception {
		return NetworkInterface.getByInetAddress(address("127.0.0.1"));
	}

	static InetAddress address(String literal) {
		try {
			return InetAddress.getByName(literal);
		} catch (Exception e) {
			throw new IllegalArgumentException(e);
		}
	}

	@Test
	void nothingIsHeardFromOutsideLoopback() {
		assertFalse(a.toString().contains("eth"), a.toString());
		assertTrue(a.toString().contains("127.0.0.1"), a.toString());
	}
}
