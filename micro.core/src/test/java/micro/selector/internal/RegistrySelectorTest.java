package micro.selector.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import micro.errors.MicroError;
import micro.registry.Node;
import micro.registry.Service;
import micro.registry.cache.RegistryCache;
import micro.registry.internal.MemoryRegistry;
import micro.selector.Strategy;

class RegistrySelectorTest {
	private final MemoryRegistry registry = new MemoryRegistry();
	private final RegistryCache cache = new RegistryCache(registry);
	private final RegistrySelector selector = new RegistrySelector(cache);

	@BeforeEach
	void register() throws Exception {
		registry.register(new Service("greeter", "1", Map.of(), List.of(),
				List.of(new Node("a", "127.0.0.1:1", Map.of("zone", "x")), new Node("b", "127.0.0.1:2", Map.of()))),
				Duration.ZERO);
		registry.register(new Service("greeter", "2", Map.of(), List.of(),
				List.of(new Node("c", "127.0.0.1:3", Map.of("zone", "x")))), Duration.ZERO);
	}

	@AfterEach
	void close() {
		cache.close();
		registry.close();
	}

	@Test
	void roundRobinVisitsTheNodesOfAllVersionsInTurn() {
		Supplier<Node> next = selector.select("greeter", null, Strategy.ROUND_ROBIN);
		List<String> firstThree = List.of(next.get().id(), next.get().id(), next.get().id());
		assertEquals(Set.of("a", "b", "c"), new HashSet<>(firstThree));
		assertEquals(firstThree, List.of(next.get().id(), next.get().id(), next.get().id()));
	}

	@Test
	void randomReachesEveryNode() {
		Supplier<Node> next = selector.select("greeter", null, null);
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 200 && seen.size() < 3; i++) {
			seen.add(next.get().id());
		}
		assertEquals(Set.of("a", "b", "c"), seen);
	}

	@Test
	void theFilterKeepsMatchingNodes() {
		Supplier<Node> next = selector.select("greeter", n -> "x".equals(n.metadata().get("zone")), Strategy.RANDOM);
		for (int i = 0; i < 20; i++) {
			assertTrue(Set.of("a", "c").contains(next.get().id()));
		}
	}

	@Test
	void noNodeIsNotFound() {
		MicroError e = assertThrows(MicroError.class, () -> selector.select("nobody", null, Strategy.RANDOM));
		assertEquals(500, e.code());
		assertEquals("go.micro.client", e.id());
		assertEquals("service nobody: not found", e.detail());
		MicroError filtered = assertThrows(MicroError.class, () -> selector.select("greeter", n -> false, null));
		assertEquals("service greeter: not found", filtered.detail());
	}
}
