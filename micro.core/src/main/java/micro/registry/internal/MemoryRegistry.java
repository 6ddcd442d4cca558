package micro.registry.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import micro.registry.Node;
import micro.registry.Registry;
import micro.registry.RegistryException;
import micro.registry.Service;
import micro.registry.Watch;
import micro.registry.WatchEvent;
import micro.registry.WatchListener;

/**
 * go-micro's {@code memory} registry: services kept in this process, one record per version, each node expiring
 * after the TTL it was registered with unless registered again.
 * <p>
 * Events follow go-micro's registry cache contract: {@code CREATE} when a version appears, {@code UPDATE} with the
 * version's current nodes when a node is added or changed, and {@code DELETE} with only the nodes that went away
 * (deregistered or expired). A refresh that changes nothing sends no event. Listeners are called in order on one
 * thread of the registry, never while it holds its lock.
 */
public class MemoryRegistry implements Registry, AutoCloseable {
	public static final String NAME = "memory";
	private static final Duration PRUNE_INTERVAL = Duration.ofSeconds(1);

	/** One registered node and when it expires (nanoTime; Long.MAX_VALUE = never). */
	private record Entry(Node node, long expiresAt) {
	}

	/** One version of a service: its description and its nodes by id, in registration order. */
	private static final class Version {
		Service description;
		final LinkedHashMap<String, Entry> nodes = new LinkedHashMap<>();

		Version(Service description) {
			this.description = description;
		}

		Service snapshot() {
			return description.withNodes(nodes.values().stream().map(Entry::node).toList());
		}
	}

	private record Watcher(String service, WatchListener listener) {
	}

	/** name → version → record */
	private final Map<String, LinkedHashMap<String, Version>> services = new LinkedHashMap<>();
	private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
	private final ExecutorService events;
	private final ScheduledExecutorService pruner;
	private final LongSupplier clock;
	private volatile boolean closed;

	public MemoryRegistry() {
		this(System::nanoTime);
	}

	/** With another clock (nanoseconds), for tests of expiry. */
	MemoryRegistry(LongSupplier clock) {
		this.clock = clock;
		this.events = Executors.newSingleThreadExecutor(daemon("micro-memory-registry-events"));
		this.pruner = Executors.newSingleThreadScheduledExecutor(daemon("micro-memory-registry-ttl"));
		pruner.scheduleWithFixedDelay(this::prune, PRUNE_INTERVAL.toMillis(), PRUNE_INTERVAL.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	static java.util.concurrent.ThreadFactory daemon(String name) {
		return r -> {
			Thread t = new Thread(r, name);
			t.setDaemon(true);
			return t;
		};
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public void register(Service service, Duration ttl) throws RegistryException {
		validate(service);
		long now = clock.getAsLong();
		long expiresAt = ttl == null || ttl.isZero() || ttl.isNegative() ? Long.MAX_VALUE : now + ttl.toNanos();
		List<WatchEvent> out = new ArrayList<>(2);
		synchronized (services) {
			ensureOpen();
			removeExpired(now, out);
			LinkedHashMap<String, Version> versions = services.computeIfAbsent(service.name(), n -> new LinkedHashMap<>());
			Version version = versions.get(service.version());
			boolean created = version == null;
			if (created) {
				version = new Version(service.withNodes(List.of()));
				versions.put(service.version(), version);
			}
			boolean changed = !created && !version.description.withNodes(List.of()).equals(service.withNodes(List.of()));
			// the newest registration describes the version (endpoints change when handlers are added)
			version.description = service.withNodes(List.of());
			for (Node node : service.nodes()) {
				Entry old = version.nodes.put(node.id(), new Entry(node, expiresAt));
				changed |= old == null || !old.node().equals(node);
			}
			if (created) {
				out.add(new WatchEvent(WatchEvent.Action.CREATE, version.snapshot()));
			} else if (changed) {
				out.add(new WatchEvent(WatchEvent.Action.UPDATE, version.snapshot()));
			}
		}
		fire(out);
	}

	@Override
	public void deregister(Service service) throws RegistryException {
		validate(service);
		List<WatchEvent> out = new ArrayList<>(2);
		synchronized (services) {
			ensureOpen();
			LinkedHashMap<String, Version> versions = services.get(service.name());
			Version version = versions == null ? null : versions.get(service.version());
			if (version == null) {
				return;
			}
			List<Node> removed = new ArrayList<>();
			if (service.nodes().isEmpty()) {
				// no nodes named: the whole version goes
				version.nodes.values().forEach(e -> removed.add(e.node()));
				version.nodes.clear();
			} else {
				for (Node node : service.nodes()) {
					Entry e = version.nodes.remove(node.id());
					if (e != null) {
						removed.add(e.node());
					}
				}
			}
			if (version.nodes.isEmpty()) {
				versions.remove(service.version());
				if (versions.isEmpty()) {
					services.remove(service.name());
				}
			}
			if (!removed.isEmpty() || version.nodes.isEmpty()) {
				out.add(new WatchEvent(WatchEvent.Action.DELETE, version.description.withNodes(removed)));
			}
		}
		fire(out);
	}

	@Override
	public List<Service> getService(String name) throws RegistryException {
		Objects.requireNonNull(name, "service name");
		List<WatchEvent> out = new ArrayList<>();
		List<Service> result = new ArrayList<>();
		synchronized (services) {
			ensureOpen();
			removeExpired(clock.getAsLong(), out);
			LinkedHashMap<String, Version> versions = services.get(name);
			if (versions != null) {
				versions.values().forEach(v -> result.add(v.snapshot()));
			}
		}
		fire(out);
		return result;
	}

	@Override
	public List<Service> listServices() throws RegistryException {
		List<WatchEvent> out = new ArrayList<>();
		List<Service> result = new ArrayList<>();
		synchronized (services) {
			ensureOpen();
			removeExpired(clock.getAsLong(), out);
			services.values().forEach(versions -> versions.values().forEach(v -> result.add(v.snapshot())));
		}
		fire(out);
		return result;
	}

	@Override
	public Watch watch(String service, WatchListener listener) throws RegistryException {
		Objects.requireNonNull(listener, "listener");
		ensureOpen();
		Watcher w = new Watcher(service, listener);
		watchers.add(w);
		return () -> watchers.remove(w);
	}

	/** Drops expired nodes now (also done every second in the background). */
	void prune() {
		List<WatchEvent> out = new ArrayList<>();
		synchronized (services) {
			if (closed) {
				return;
			}
			removeExpired(clock.getAsLong(), out);
		}
		fire(out);
	}

	/** Caller holds the lock. Expired nodes leave with a DELETE event carrying them. */
	private void removeExpired(long now, List<WatchEvent> out) {
		var names = services.entrySet().iterator();
		while (names.hasNext()) {
			LinkedHashMap<String, Version> versions = names.next().getValue();
			var it = versions.values().iterator();
			while (it.hasNext()) {
				Version v = it.next();
				List<Node> expired = new ArrayList<>();
				v.nodes.values().removeIf(e -> {
					if (e.expiresAt() - now <= 0 && e.expiresAt() != Long.MAX_VALUE) {
						expired.add(e.node());
						return true;
					}
					return false;
				});
				if (!expired.isEmpty()) {
					if (v.nodes.isEmpty()) {
						it.remove();
					}
					out.add(new WatchEvent(WatchEvent.Action.DELETE, v.description.withNodes(expired)));
				}
			}
			if (versions.isEmpty()) {
				names.remove();
			}
		}
	}

	private void fire(List<WatchEvent> out) {
		if (out.isEmpty() || watchers.isEmpty()) {
			return;
		}
		for (WatchEvent event : out) {
			for (Watcher w : watchers) {
				if (w.service() == null || w.service().equals(event.service().name())) {
					try {
						events.execute(() -> deliver(w, event));
					} catch (java.util.concurrent.RejectedExecutionException closing) {
						return;
					}
				}
			}
		}
	}

	private void deliver(Watcher w, WatchEvent event) {
		if (!watchers.contains(w)) {
			return;
		}
		try {
			w.listener().onEvent(event);
		} catch (RuntimeException e) {
			System.getLogger(MemoryRegistry.class.getName()).log(System.Logger.Level.WARNING,
					"memory registry: a watch listener failed on " + event.action().wireName() + " "
							+ event.service().name(), e);
		}
	}

	private static void validate(Service service) throws RegistryException {
		if (service == null || service.name() == null || service.name().isBlank()) {
			throw new RegistryException("a service needs a name");
		}
		for (Node node : service.nodes()) {
			if (node.id() == null || node.id().isBlank()) {
				throw new RegistryException("service " + service.name() + ": a node needs an id");
			}
		}
	}

	private void ensureOpen() throws RegistryException {
		if (closed) {
			throw new RegistryException("memory registry is closed");
		}
	}

	/** Stops the background threads; the registry refuses calls afterwards. */
	@Override
	public void close() {
		synchronized (services) {
			closed = true;
			services.clear();
		}
		watchers.clear();
		pruner.shutdownNow();
		events.shutdown();
	}

	@Override
	public String toString() {
		return NAME;
	}
}
