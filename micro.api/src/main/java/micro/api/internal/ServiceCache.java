package micro.api.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import micro.registry.Registry;
import micro.registry.RegistryException;
import micro.registry.Service;
import micro.registry.Watch;

/**
 * The gateway's view of the registry: each service looked up at most once per {@value #TTL_SECONDS} seconds, dropped
 * early when the registry reports a change to it, and served stale when the registry fails (so a flaky mDNS network
 * does not turn into "service not found" for services that were there a moment ago).
 */
final class ServiceCache implements AutoCloseable {
	static final int TTL_SECONDS = 10;
	private static final System.Logger LOG = System.getLogger(ServiceCache.class.getName());

	private record Entry(List<Service> versions, long expiresAt) {
	}

	private final Registry registry;
	private final Map<String, Entry> entries = new ConcurrentHashMap<>();
	private Watch watch;

	ServiceCache(Registry registry) {
		this.registry = registry;
	}

	Registry registry() {
		return registry;
	}

	void start() {
		try {
			watch = registry.watch(null, event -> {
				if (event.service() != null) {
					entries.remove(event.service().name());
				}
			});
		} catch (RegistryException | RuntimeException e) {
			LOG.log(System.Logger.Level.WARNING, "api: cannot watch the registry, entries live " + TTL_SECONDS
					+ " s: " + e.getMessage());
		}
	}

	/** The versions of a service; empty when it is not known. */
	List<Service> getService(String name) throws RegistryException {
		long now = System.nanoTime();
		Entry e = entries.get(name);
		if (e != null && e.expiresAt() - now > 0) {
			return e.versions();
		}
		try {
			List<Service> versions = List.copyOf(registry.getService(name));
			if (versions.isEmpty()) {
				entries.remove(name);
			} else {
				entries.put(name, new Entry(versions, now + TTL_SECONDS * 1_000_000_000L));
			}
			return versions;
		} catch (RegistryException | RuntimeException failure) {
			if (e != null) {
				return e.versions();
			}
			throw failure;
		}
	}

	@Override
	public void close() {
		if (watch != null) {
			watch.close();
		}
		entries.clear();
	}
}
