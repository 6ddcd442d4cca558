package micro.registry.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import micro.registry.Node;
import micro.registry.Registry;
import micro.registry.RegistryException;
import micro.registry.Service;
import micro.registry.Watch;
import micro.registry.WatchEvent;

/**
 * go-micro's registry cache (micro-v2.md §7.5): {@link #getService} answers from memory for a TTL (1 minute), watches
 * each service it has looked up and applies the events to what it holds, and keeps serving the last known entries
 * when the registry fails. A service that is not found is not cached, so a new registration is seen at the next
 * lookup.
 * <p>
 * Events are applied as go-micro's cache applies them: {@code CREATE}/{@code UPDATE} add or replace the event's
 * nodes in its version, {@code DELETE} removes the event's nodes and drops a version left without nodes.
 */
public class RegistryCache implements AutoCloseable {
	public static final Duration DEFAULT_TTL = Duration.ofMinutes(1);
	private static final System.Logger LOG = System.getLogger(RegistryCache.class.getName());

	/** The versions of one service and when they go stale (nanoTime). */
	private static final class Entry {
		final LinkedHashMap<String, Service> versions = new LinkedHashMap<>();
		long expiresAt;
	}

	private final Registry registry;
	private final Duration ttl;
	private final LongSupplier clock;
	private final Map<String, Entry> entries = new LinkedHashMap<>();
	private final Map<String, Watch> watches = new ConcurrentHashMap<>();
	private volatile boolean closed;

	public RegistryCache(Registry registry) {
		this(registry, DEFAULT_TTL, System::nanoTime);
	}

	/** With another TTL and clock (nanoseconds), for tests. */
	RegistryCache(Registry registry, Duration ttl, LongSupplier clock) {
		this.registry = Objects.requireNonNull(registry, "registry");
		this.ttl = ttl;
		this.clock = clock;
	}

	public Registry registry() {
		return registry;
	}

	/**
	 * The versions of a service: fresh from the cache, else from the registry; when the registry fails, the stale
	 * entries if there are any.
	 *
	 * @return one entry per version; empty when the service is not known
	 * @throws RegistryException when the registry fails and nothing is cached for the service
	 */
	public List<Service> getService(String name) throws RegistryException {
		Objects.requireNonNull(name, "service name");
		long now = clock.getAsLong();
		synchronized (entries) {
			Entry e = entries.get(name);
			if (e != null && e.expiresAt - now > 0) {
				return List.copyOf(e.versions.values());
			}
		}
		List<Service> fresh;
		try {
			fresh = registry.getService(name);
		} catch (RegistryException | RuntimeException failure) {
			synchronized (entries) {
				Entry stale = entries.get(name);
				if (stale != null && !stale.versions.isEmpty()) {
					LOG.log(System.Logger.Level.DEBUG, "registry failed, serving cached {0}: {1}", name,
							failure.getMessage());
					return List.copyOf(stale.versions.values());
				}
			}
			if (failure instanceof RegistryException re) {
				throw re;
			}
			throw new RegistryException(registry.name() + " registry: " + failure.getMessage(), failure);
		}
		if (fresh == null || fresh.isEmpty()) {
			synchronized (entries) {
				entries.remove(name);
			}
			return List.of();
		}
		synchronized (entries) {
			if (closed) {
				return List.copyOf(fresh);
			}
			Entry e = new Entry();
			for (Service s : fresh) {
				e.versions.merge(s.version(), s, RegistryCache::mergeNodes);
			}
			e.expiresAt = clock.getAsLong() + ttl.toNanos();
			entries.put(name, e);
		}
		watch(name);
		return List.copyOf(fresh);
	}

	private void watch(String name) {
		if (watches.containsKey(name) || closed) {
			return;
		}
		try {
			Watch w = registry.watch(name, this::apply);
			if (watches.putIfAbsent(name, w) != null || closed) {
				w.close();
			}
		} catch (RegistryException | RuntimeException e) {
			// the TTL still bounds staleness; the next lookup tries again
			LOG.log(System.Logger.Level.DEBUG, "cannot watch {0}: {1}", name, e.getMessage());
		}
	}

	/** Applies one registry event to the cached versions of its service (ignored when not cached). */
	void apply(WatchEvent event) {
		Service s = event.service();
		if (s == null || s.name() == null) {
			return;
		}
		synchronized (entries) {
			Entry e = entries.get(s.name());
			if (e == null) {
				return;
			}
			switch (event.action()) {
			case CREATE, UPDATE -> {
				Service cached = e.versions.get(s.version());
				e.versions.put(s.version(), cached == null ? s : mergeNodes(cached, s));
			}
			case DELETE -> {
				Service cached = e.versions.get(s.version());
				if (cached == null) {
					return;
				}
				List<String> gone = s.nodes().stream().map(Node::id).toList();
				List<Node> left = cached.nodes().stream().filter(n -> !gone.contains(n.id())).toList();
				if (left.isEmpty()) {
					e.versions.remove(s.version());
				} else {
					e.versions.put(s.version(), cached.withNodes(left));
				}
				if (e.versions.isEmpty()) {
					entries.remove(s.name());
				}
			}
			}
		}
	}

	/** The newer description with the nodes of both, the newer node winning on the same id. */
	private static Service mergeNodes(Service older, Service newer) {
		LinkedHashMap<String, Node> nodes = new LinkedHashMap<>();
		older.nodes().forEach(n -> nodes.put(n.id(), n));
		newer.nodes().forEach(n -> nodes.put(n.id(), n));
		return newer.withNodes(new ArrayList<>(nodes.values()));
	}

	/** Forgets a service (its next lookup goes to the registry). */
	public void invalidate(String name) {
		synchronized (entries) {
			entries.remove(name);
		}
	}

	/** Stops the watches and forgets everything. */
	@Override
	public void close() {
		closed = true;
		watches.values().forEach(w -> {
			try {
				w.close();
			} catch (RuntimeException ignored) {
				// the registry may be gone already
			}
		});
		watches.clear();
		synchronized (entries) {
			entries.clear();
		}
	}
}
