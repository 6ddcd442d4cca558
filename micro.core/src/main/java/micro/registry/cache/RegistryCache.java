package micro.registry.cache;

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
 * go-micro's registry cache ({@code registry/cache}, micro-v2.md §7.5): {@link #getService} answers from memory for a
 * TTL (1 minute), watches each service it has looked up and applies the events to what it holds, and keeps serving
 * the last known entries when the registry fails. A service that is not found is not cached, so a new registration is
 * seen at the next lookup. The client's selector, the HTTP broker and the API gateway each read the registry through
 * one of these.
 * <p>
 * Events are applied as go-micro's cache applies them: {@code CREATE}/{@code UPDATE} add or replace the event's
 * nodes in its version, {@code DELETE} removes the event's nodes and drops a version left without nodes.
 * <p>
 * A fresh entry is answered without a lock and without a copy (it is looked up once per call and per proxied
 * request); changes are serialised and replace an entry as a whole.
 */
public final class RegistryCache implements AutoCloseable {
	private static final Duration DEFAULT_TTL = Duration.ofMinutes(1);
	private static final System.Logger LOG = System.getLogger(RegistryCache.class.getName());

	/** The versions of one service, in the order first seen, and when they go stale (nanoTime). Immutable. */
	private record Entry(List<Service> versions, long expiresAt) {
	}

	private final Registry registry;
	private final Duration ttl;
	private final LongSupplier clock;
	private final Map<String, Entry> entries = new ConcurrentHashMap<>();
	private final Map<String, Watch> watches = new ConcurrentHashMap<>();
	/** Serialises the changes of {@link #entries}, so that an event is not lost to a concurrent refresh. */
	private final Object changes = new Object();
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

	/**
	 * The versions of a service: fresh from the cache, else from the registry; when the registry fails, the stale
	 * entries if there are any.
	 *
	 * @return one entry per version, unmodifiable; empty when the service is not known
	 * @throws RegistryException when the registry fails and nothing is cached for the service
	 */
	public List<Service> getService(String name) throws RegistryException {
		Objects.requireNonNull(name, "service name");
		Entry cached = entries.get(name);
		if (cached != null && cached.expiresAt() - clock.getAsLong() > 0) {
			return cached.versions();
		}
		List<Service> fresh;
		try {
			fresh = registry.getService(name);
		} catch (RegistryException | RuntimeException failure) {
			Entry stale = entries.get(name);
			if (stale != null) {
				LOG.log(System.Logger.Level.DEBUG, "registry failed, serving cached {0}: {1}", name,
						failure.getMessage());
				return stale.versions();
			}
			if (failure instanceof RegistryException re) {
				throw re;
			}
			throw new RegistryException(registry.name() + " registry: " + failure.getMessage(), failure);
		}
		if (fresh == null || fresh.isEmpty()) {
			entries.remove(name);
			return List.of();
		}
		LinkedHashMap<String, Service> byVersion = new LinkedHashMap<>();
		for (Service s : fresh) {
			byVersion.merge(s.version(), s, RegistryCache::mergeNodes);
		}
		List<Service> versions = List.copyOf(byVersion.values());
		synchronized (changes) {
			if (closed) {
				return versions;
			}
			entries.put(name, new Entry(versions, clock.getAsLong() + ttl.toNanos()));
		}
		watch(name);
		return versions;
	}

	/**
	 * The versions of a service when the cache holds them fresh, else null: never asks the registry, so it never
	 * waits (for callers on an event loop, who ask {@link #getService} from another thread on null).
	 */
	public List<Service> getFresh(String name) {
		Entry cached = entries.get(name);
		return cached != null && cached.expiresAt() - clock.getAsLong() > 0 ? cached.versions() : null;
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
		synchronized (changes) {
			Entry e = entries.get(s.name());
			if (e == null) {
				return;
			}
			LinkedHashMap<String, Service> versions = new LinkedHashMap<>();
			e.versions().forEach(v -> versions.put(v.version(), v));
			Service cached = versions.get(s.version());
			switch (event.action()) {
			case CREATE, UPDATE -> versions.put(s.version(), cached == null ? s : mergeNodes(cached, s));
			case DELETE -> {
				if (cached == null) {
					return;
				}
				List<String> gone = s.nodes().stream().map(Node::id).toList();
				List<Node> left = cached.nodes().stream().filter(n -> !gone.contains(n.id())).toList();
				if (left.isEmpty()) {
					versions.remove(s.version());
				} else {
					versions.put(s.version(), cached.withNodes(left));
				}
			}
			}
			if (versions.isEmpty()) {
				entries.remove(s.name());
			} else {
				entries.put(s.name(), new Entry(List.copyOf(versions.values()), e.expiresAt()));
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
		synchronized (changes) {
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
		synchronized (changes) {
			entries.clear();
		}
	}
}
