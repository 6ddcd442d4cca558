package micro.registry.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import micro.registry.Node;
import micro.registry.RegistryException;
import micro.registry.Service;
import micro.registry.Watch;
import micro.registry.WatchEvent;
import micro.registry.WatchEvent.Action;

class MemoryRegistryTest {
	private final AtomicLong now = new AtomicLong(1_000_000_000L);
	private final MemoryRegistry registry = new MemoryRegistry(now::get);

	@AfterEach
	void close() {
		registry.close();
	}

	static Service service(String name, String version, Node... nodes) {
		return new Service(name, version, Map.of(), List.of(), List.of(nodes));
	}

	static Node node(String id, String address) {
		return new Node(id, address, Map.of("protocol", "mucp"));
	}

	@Test
	void nodesExpireAfterTheirTtlUnlessRegisteredAgain() throws Exception {
		registry.register(service("greeter", "1", node("a", "127.0.0.1:1")), Duration.ofSeconds(10));
		registry.register(service("greeter", "1", node("b", "127.0.0.1:2")), Duration.ofSeconds(30));
		assertEquals(2, registry.getService("greeter").get(0).nodes().size());

		now.addAndGet(Duration.ofSeconds(9).toNanos());
		registry.register(service("greeter", "1", node("a", "127.0.0.1:1")), Duration.ofSeconds(10));
		now.addAndGet(Duration.ofSeconds(9).toNanos());
		assertEquals(2, registry.getService("greeter").get(0).nodes().size(), "a was refreshed, b has 30 s");

		now.addAndGet(Duration.ofSeconds(2).toNanos());
		List<Service> left = registry.getService("greeter");
		assertEquals(List.of("b"), left.get(0).nodes().stream().map(Node::id).toList());

		now.addAndGet(Duration.ofSeconds(20).toNanos());
		assertTrue(registry.getService("greeter").isEmpty());
		assertTrue(registry.listServices().isEmpty());
	}

	@Test
	void aZeroTtlNeverExpires() throws Exception {
		registry.register(service("forever", "", node("x", "127.0.0.1:1")), Duration.ZERO);
		now.addAndGet(Duration.ofDays(400).toNanos());
		assertEquals(1, registry.getService("forever").size());
	}

	@Test
	void versionsAreKeptApart() throws Exception {
		registry.register(service("greeter", "1.0", node("a", "127.0.0.1:1")), Duration.ofMinutes(1));
		registry.register(service("greeter", "2.0", node("b", "127.0.0.1:2")), Duration.ofMinutes(1));
		List<Service> versions = registry.getService("greeter");
		assertEquals(List.of("1.0", "2.0"), versions.stream().map(Service::version).toList());
		assertEquals("a", versions.get(0).nodes().get(0).id());
		assertEquals("b", versions.get(1).nodes().get(0).id());

		registry.deregister(service("greeter", "1.0", node("a", "127.0.0.1:1")));
		assertEquals(List.of("2.0"), registry.getService("greeter").stream().map(Service::version).toList());
	}

	@Test
	void watchSeesCreateUpdateDeleteAndExpiry() throws Exception {
		BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
		Watch watch = registry.watch("greeter", events::add);
		registry.register(service("other", "1", node("o", "127.0.0.1:9")), Duration.ofMinutes(1));

		registry.register(service("greeter", "1", node("a", "127.0.0.1:1")), Duration.ofSeconds(10));
		WatchEvent created = events.poll(5, TimeUnit.SECONDS);
		assertEquals(Action.CREATE, created.action());
		assertEquals("greeter", created.service().name());

		registry.register(service("greeter", "1", node("a", "127.0.0.1:1")), Duration.ofSeconds(10));
		registry.register(service("greeter", "1", node("b", "127.0.0.1:2")), Duration.ofSeconds(60));
		WatchEvent updated = events.poll(5, TimeUnit.SECONDS);
		assertEquals(Action.UPDATE, updated.action(), "a plain refresh sends nothing; a new node is an update");
		assertEquals(List.of("a", "b"), updated.service().nodes().stream().map(Node::id).toList());

		now.addAndGet(Duration.ofSeconds(11).toNanos());
		registry.prune();
		WatchEvent expired = events.poll(5, TimeUnit.SECONDS);
		assertEquals(Action.DELETE, expired.action());
		assertEquals(List.of("a"), expired.service().nodes().stream().map(Node::id).toList());

		registry.deregister(service("greeter", "1", node("b", "127.0.0.1:2")));
		WatchEvent deleted = events.poll(5, TimeUnit.SECONDS);
		assertEquals(Action.DELETE, deleted.action());
		assertEquals(List.of("b"), deleted.service().nodes().stream().map(Node::id).toList());

		watch.close();
		registry.register(service("greeter", "1", node("c", "127.0.0.1:3")), Duration.ofSeconds(10));
		assertEquals(null, events.poll(300, TimeUnit.MILLISECONDS), "no event after the watch is closed");
		assertTrue(events.isEmpty());
	}

	@Test
	void aFailingListenerDoesNotStopOthers() throws Exception {
		registry.watch(null, e -> {
			throw new IllegalStateException("listener bug");
		});
		CountDownLatch seen = new CountDownLatch(2);
		registry.watch(null, e -> seen.countDown());
		registry.register(service("one", "", node("1", "127.0.0.1:1")), Duration.ofMinutes(1));
		registry.register(service("two", "", node("2", "127.0.0.1:2")), Duration.ofMinutes(1));
		assertTrue(seen.await(5, TimeUnit.SECONDS));
	}

	@Test
	void badInputIsRefused() {
		assertThrows(RegistryException.class, () -> registry.register(service("", "1"), Duration.ofMinutes(1)));
		assertThrows(RegistryException.class,
				() -> registry.register(service("x", "1", new Node("", "127.0.0.1:1", null)), Duration.ofMinutes(1)));
		registry.close();
		assertThrows(RegistryException.class, () -> registry.getService("x"));
	}

	@Test
	void concurrentRegistrationsAreAllKept() throws Exception {
		int threads = 8;
		int perThread = 200;
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int id = t;
			Thread worker = new Thread(() -> {
				for (int i = 0; i < perThread; i++) {
					try {
						registry.register(service("busy", "", node(id + "-" + i, "127.0.0.1:" + (i + 1))),
								Duration.ofMinutes(1));
						registry.getService("busy");
					} catch (RegistryException e) {
						throw new AssertionError(e);
					}
				}
			});
			worker.start();
			workers.add(worker);
		}
		for (Thread w : workers) {
			w.join();
		}
		assertEquals(threads * perThread, registry.getService("busy").get(0).nodes().size());
	}
}
