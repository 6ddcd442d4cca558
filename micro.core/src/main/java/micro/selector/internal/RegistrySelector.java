package micro.selector.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

import micro.client.Client;
import micro.errors.MicroError;
import micro.registry.Node;
import micro.registry.RegistryException;
import micro.registry.Service;
import micro.registry.cache.RegistryCache;
import micro.selector.Selector;
import micro.selector.Strategy;

/**
 * go-micro's {@code registry} selector (micro-v2.md §7.5): reads the service through the registry cache, flattens the
 * nodes of all its versions, keeps those that pass the filter, and picks by the strategy: {@link Strategy#RANDOM} (the
 * default) or {@link Strategy#ROUND_ROBIN} (starting at a random offset).
 */
public final class RegistrySelector implements Selector {
	public static final String NAME = "registry";

	private final RegistryCache cache;

	public RegistrySelector(RegistryCache cache) {
		this.cache = Objects.requireNonNull(cache, "cache");
	}

	@Override
	public String name() {
		return NAME;
	}

	public RegistryCache cache() {
		return cache;
	}

	@Override
	public Supplier<Node> select(String service, Predicate<Node> filter, Strategy strategy) {
		List<Service> versions;
		try {
			versions = cache.getService(service);
		} catch (RegistryException e) {
			throw MicroError.internalServerError(Client.ERROR_ID,
					"error selecting " + service + " node: " + e.getMessage());
		}
		List<Node> nodes = new ArrayList<>();
		for (Service version : versions) {
			for (Node n : version.nodes()) {
				if (filter == null || filter.test(n)) {
					nodes.add(n);
				}
			}
		}
		if (nodes.isEmpty()) {
			throw notFound(service);
		}
		List<Node> pool = List.copyOf(nodes);
		if (strategy == Strategy.ROUND_ROBIN) {
			AtomicInteger next = new AtomicInteger(ThreadLocalRandom.current().nextInt(pool.size()));
			return () -> pool.get(Math.floorMod(next.getAndIncrement(), pool.size()));
		}
		return () -> pool.get(ThreadLocalRandom.current().nextInt(pool.size()));
	}

	/** go-micro's client error for a service without nodes. */
	public static MicroError notFound(String service) {
		return MicroError.internalServerError(Client.ERROR_ID, "service " + service + ": not found");
	}

	@Override
	public String toString() {
		return NAME;
	}
}
