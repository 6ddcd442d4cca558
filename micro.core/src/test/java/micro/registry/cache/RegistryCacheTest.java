package micro.registry.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import micro.registry.ForwardingRegistry;
import micro.registry.Node;
import micro.registry.Registry;
import micro.registry.RegistryException;
import micro.registry.Service;
import micro.registry.internal.MemoryRegistry;

class RegistryCacheTest {
	/** A memory registry that counts lookups and can be told to fail. */
	static final class FlakyRegistry extends ForwardingRegistry {
		final MemoryRegistry inner = new MemoryRegistry();
		final AtomicInteger lookups = new AtomicInteger();
		volatile boolean failing;

		@Override
		protected Registry delegate() {
			return inner;
		}

		@Override
		public List<Service> getService(String name) throws RegistryException {
			lookups.incrementAndGet();
			if (failing) {
				throw new RegistryException("connection refused");
			}
			return inner.getService(name);
		}
	}

	private final FlakyRegistry registry = new FlakyRegistry();
	private final AtomicLong now = new AtomicLong();
	private final RegistryCache cache = new RegistryCache(registry, Duration.ofMinutes(1), now::get);

	@AfterEach
	void close() {
		cache.close();
		registry.inner.close();
	}

	private static Service greeter(String... nodeIds) {
		return new Service("greeter", "1", Map.of(), List.of(),
				java.util.Arrays.stream(nodeIds).map(id -> new Node(id, "127.0.0.1:1", Map.of())).toList());
	}

	private List<String> nodeIds() throws RegistryException {
		return cache.getService("greeter").stream().flatMap(s -> s.nodes().stream()).map(Node::id).sorted().toList();
	}

	@Test
	void answersFromMemoryUntilTheTtl() throws Exception {
		registry.register(greeter("a"), Duration.ZERO);
		assertEquals(List.of("a"), nodeIds());
		assertEquals(List.of("a"), nodeIds());
		assertEquals(1, registry.lookups.get());
		now.addAndGet(Duration.ofSeconds(61).toNanos());
		assertEquals(List.of("a"), nodeIds());
		assertEquals(2, registry.lookups.get());
	}

	@Test
	void appliesWatchEvents() throws Exception {
		registry.register(greeter("a"), Duration.ZERO);
		assertEquals(List.of("a"), nodeIds());
		registry.register(greeter("b"), Duration.ZERO);
		awaitNodes(List.of("a", "b"));
		registry.deregister(greeter("a"));
		awaitNodes(List.of("b"));
		assertEquals(1, registry.lookups.get(), "every change came through the watch");
	}

	private void awaitNodes(List<String> expected) throws Exception {
		long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (!nodeIds().equals(expected) && System.nanoTime() < end) {
			Thread.sleep(10);
		}
		assertEquals(expected, nodeIds());
	}

	@Test
	void servesStaleEntriesWhenTheRegistryFails() throws Exception {
		registry.register(greeter("a"), Duration.ZERO);
		assertEquals(List.of("a"), nodeIds());
		registry.failing = true;
		now.addAndGet(Duration.ofMinutes(5).toNanos());
		assertEquals(List.of("a"), nodeIds(), "stale but served");
		assertTrue(registry.lookups.get() >= 2, "the registry was asked again once stale");

		RegistryException e = assertThrows(RegistryException.class, () -> cache.getService("unknown"));
		assertEquals("connection refused", e.getMessage());

		registry.failing = false;
		assertEquals(List.of("a"), nodeIds());
	}

	@Test
	void anUnknownServiceIsNotCached() throws Exception {
		assertTrue(cache.getService("greeter").isEmpty());
		registry.register(greeter("a"), Duration.ZERO);
		assertEquals(List.of("a"), nodeIds());
	}
}
