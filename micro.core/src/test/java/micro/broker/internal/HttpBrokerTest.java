package micro.broker.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import micro.broker.BrokerMessage;
import micro.broker.Subscription;
import micro.registry.Node;
import micro.registry.Service;
import micro.registry.internal.MemoryRegistry;

class HttpBrokerTest {
	private final MemoryRegistry registry = new MemoryRegistry();
	private final List<HttpBroker> brokers = new ArrayList<>();

	private HttpBroker broker() {
		HttpBroker b = new HttpBroker(registry, null);
		brokers.add(b);
		return b;
	}

	@AfterEach
	void close() {
		brokers.forEach(HttpBroker::close);
		registry.close();
	}

	private static BrokerMessage message(String text) {
		return new BrokerMessage(Map.of("Content-Type", "text/plain"), text.getBytes(StandardCharsets.UTF_8));
	}

	private static void await(BooleanSupplier condition, String what) throws InterruptedException {
		long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > end) {
				throw new AssertionError("timed out waiting for " + what);
			}
			Thread.sleep(10);
		}
	}

	@Test
	void broadcastSubscribersEachGetEveryMessage() throws Exception {
		List<String> a = new CopyOnWriteArrayList<>();
		List<String> b = new CopyOnWriteArrayList<>();
		broker().subscribe("events", null, (t, m) -> a.add(new String(m.body(), StandardCharsets.UTF_8)));
		broker().subscribe("events", null, (t, m) -> b.add(new String(m.body(), StandardCharsets.UTF_8)));
		HttpBroker publisher = broker();
		for (int i = 0; i < 5; i++) {
			publisher.publish("events", message("m" + i));
		}
		await(() -> a.size() == 5 && b.size() == 5, "5 messages each");
		assertEquals(Set.of("m0", "m1", "m2", "m3", "m4"), Set.copyOf(a));
		assertEquals(Set.copyOf(a), Set.copyOf(b));
	}

	@Test
	void queueSubscribersShareTheMessages() throws Exception {
		List<String> got = new CopyOnWriteArrayList<>();
		Map<String, Integer> perSubscriber = new ConcurrentHashMap<>();
		for (String name : List.of("x", "y")) {
			broker().subscribe("jobs", "workers", (t, m) -> {
				got.add(new String(m.body(), StandardCharsets.UTF_8));
				perSubscriber.merge(name, 1, Integer::sum);
			});
		}
		HttpBroker publisher = broker();
		for (int i = 0; i < 20; i++) {
			publisher.publish("jobs", message("job" + i));
		}
		await(() -> got.size() >= 20, "20 jobs");
		Thread.sleep(200);
		assertEquals(20, got.size(), "one copy per message between the two: " + perSubscriber);
		assertEquals(20, Set.copyOf(got).size());
	}

	@Test
	void subscriptionsAreRegisteredAsGoDoesAndLeaveOnClose() throws Exception {
		HttpBroker b = broker();
		Subscription broadcast = b.subscribe("events", null, (t, m) -> {
		});
		Subscription queued = b.subscribe("events", "q1", (t, m) -> {
		});
		List<Service> versions = registry.getService(HttpBroker.SERVICE);
		assertEquals(Set.of(HttpBroker.BROADCAST, "q1"), Set.copyOf(versions.stream().map(Service::version).toList()));
		Node node = versions.get(0).nodes().get(0);
		assertTrue(node.id().startsWith("events-"), node.id());
		assertEquals(Map.of("broker", "http", "topic", "events", "secure", "false"), node.metadata());
		assertEquals(b.address(), node.address());
		assertTrue(b.address().startsWith("127.0.0.1:"), b.address());

		queued.close();
		assertEquals(List.of(HttpBroker.BROADCAST), registry.getService(HttpBroker.SERVICE).stream().map(Service::version).toList());
		b.disconnect();
		assertTrue(registry.getService(HttpBroker.SERVICE).isEmpty());
		broadcast.close();
	}

	@Test
	void badRequestsGetErrorsAndTheBrokerKeepsWorking() throws Exception {
		HttpBroker b = broker();
		List<BrokerMessage> got = new CopyOnWriteArrayList<>();
		b.subscribe("events", null, (t, m) -> got.add(m));
		String nodeId = registry.getService(HttpBroker.SERVICE).get(0).nodes().get(0).id();
		HttpClient http = HttpClient.newHttpClient();
		URI uri = URI.create("http://" + b.address() + "/?id=" + nodeId);

		HttpResponse<String> get = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
		assertEquals(405, get.statusCode());
		assertTrue(get.body().contains("\"code\":405"), get.body());

		HttpResponse<String> garbage = http.send(HttpRequest.newBuilder(uri)
				.POST(HttpRequest.BodyPublishers.ofString("{not json")).build(), HttpResponse.BodyHandlers.ofString());
		assertEquals(400, garbage.statusCode());
		assertTrue(garbage.body().contains("go.micro.broker"), garbage.body());

		HttpResponse<String> noTopic = http.send(HttpRequest.newBuilder(uri)
				.POST(HttpRequest.BodyPublishers.ofString("{\"Header\":{},\"Body\":\"\"}")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertEquals(500, noTopic.statusCode());

		HttpResponse<String> direct = http.send(HttpRequest.newBuilder(uri)
				.POST(HttpRequest.BodyPublishers.ofString("{\"Header\":{\"Micro-Topic\":\"events\"},\"Body\":\"aGk=\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertEquals(200, direct.statusCode());
		await(() -> got.size() == 1, "the direct POST");
		assertArrayEquals("hi".getBytes(StandardCharsets.UTF_8), got.get(0).body());

		b.publish("events", message("after"));
		await(() -> got.size() == 2, "a published message after the bad requests");
		assertEquals("events", got.get(1).header("Micro-Topic"));
		assertEquals("text/plain", got.get(1).header("Content-Type"));
	}

	@Test
	void aDeadSubscriberDoesNotStopDeliveryToTheOthers() throws Exception {
		List<String> got = new CopyOnWriteArrayList<>();
		broker().subscribe("events", null, (t, m) -> got.add("ok"));
		// a stale record of a subscriber that is gone
		registry.register(new Service(HttpBroker.SERVICE, HttpBroker.BROADCAST, null, null,
				List.of(new Node("events-dead", "127.0.0.1:1", Map.of("broker", "http", "topic", "events")))),
				Duration.ofMinutes(1));
		broker().publish("events", message("x"));
		await(() -> got.size() == 1, "delivery to the live subscriber");
	}

	@Test
	void envelopeJsonIsGoJson() throws IOException {
		BrokerMessage m = new BrokerMessage(Map.of("Micro-Topic", "events", "Content-Type", "application/json",
				"Micro-Id", "1"), "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
		String golden = "{\"Header\":{\"Content-Type\":\"application/json\",\"Micro-Id\":\"1\",\"Micro-Topic\":\"events\"},"
				+ "\"Body\":\"eyJhIjoxfQ==\"}";
		assertEquals(golden, new String(BrokerEnvelope.encode(m), StandardCharsets.UTF_8));
		BrokerMessage back = BrokerEnvelope.decode(golden.getBytes(StandardCharsets.UTF_8));
		assertEquals(m.header(), back.header());
		assertArrayEquals(m.body(), back.body());
		BrokerMessage empty = BrokerEnvelope.decode("{\"Header\":null,\"Body\":null}".getBytes(StandardCharsets.UTF_8));
		assertTrue(empty.header().isEmpty());
		assertEquals(0, empty.body().length);
		assertFalse(tryDecode("[]"));
		assertFalse(tryDecode("{\"Body\":\"%%%\"}"));
		assertFalse(tryDecode("{\"Header\":[]}"));
	}

	private static boolean tryDecode(String json) {
		try {
			BrokerEnvelope.decode(json.getBytes(StandardCharsets.UTF_8));
			return true;
		} catch (IOException e) {
			return false;
		}
	}
}
