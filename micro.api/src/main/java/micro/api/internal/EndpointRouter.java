package micro.api.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import micro.registry.Endpoint;
import micro.registry.Registry;
import micro.registry.Service;
import micro.registry.Watch;

/**
 * Routing by endpoint metadata (§2.5): every endpoint of every registered service whose metadata carries
 * {@code endpoint}, {@code handler} and {@code path} (and optionally {@code method}, {@code host}, {@code body})
 * becomes a route. The table is rebuilt in the background when the registry reports a change, and every
 * {@value #REFRESH_SECONDS} seconds, as go-micro's registry router watches and lists.
 */
final class EndpointRouter implements AutoCloseable {
	static final int REFRESH_SECONDS = 30;
	private static final System.Logger LOG = System.getLogger(EndpointRouter.class.getName());

	/** One routable endpoint. */
	record Route(String service, String endpoint, String handler, List<String> methods, List<PathPattern> paths,
			List<Pattern> hosts, String bodyField, List<Service> services, Map<String, String> metadata) {
	}

	/** A matched route and the fields its path captured. */
	record Match(Route route, Map<String, String> pathFields) {
	}

	private final Registry registry;
	private final ScheduledExecutorService refresher;
	private final AtomicBoolean pending = new AtomicBoolean();
	private volatile List<Route> routes = List.of();
	private volatile boolean loaded;
	private Watch watch;
	private ScheduledFuture<?> periodic;

	EndpointRouter(Registry registry) {
		this.registry = registry;
		this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "micro-api-router");
			t.setDaemon(true);
			return t;
		});
	}

	void start() {
		try {
			watch = registry.watch(null, event -> scheduleRefresh());
		} catch (RuntimeException | micro.registry.RegistryException e) {
			LOG.log(System.Logger.Level.WARNING, "api router: cannot watch the registry, listing every "
					+ REFRESH_SECONDS + " s only: " + e.getMessage());
		}
		periodic = refresher.scheduleWithFixedDelay(this::refresh, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
	}

	private void scheduleRefresh() {
		// a burst of registry events gives one refresh, a second later (mDNS announces a node three times in 3 s)
		if (pending.compareAndSet(false, true)) {
			refresher.schedule(() -> {
				pending.set(false);
				refresh();
			}, 1, TimeUnit.SECONDS);
		}
	}

	/** Rebuilds the table from the registry; on failure the previous table stays. */
	void refresh() {
		try {
			List<Route> next = new ArrayList<>();
			for (Service listed : registry.listServices()) {
				List<Service> versions = registry.getService(listed.name());
				for (Service s : versions) {
					for (Endpoint e : s.endpoints()) {
						Route r = decode(s.name(), e, versions);
						if (r != null) {
							next.add(r);
						}
					}
				}
			}
			routes = List.copyOf(next);
			loaded = true;
		} catch (Exception e) {
			LOG.log(System.Logger.Level.WARNING, "api router: refreshing the routes failed: " + e.getMessage());
		}
	}

	/** An endpoint's route, or null when its metadata does not describe a valid one. */
	static Route decode(String service, Endpoint endpoint, List<Service> versions) {
		Map<String, String> md = endpoint.metadata();
		String name = md.get("endpoint");
		String handler = md.get("handler");
		String paths = md.get("path");
		if (blank(name) || blank(handler) || blank(paths)) {
			return null;
		}
		try {
			List<PathPattern> patterns = new ArrayList<>();
			for (String p : csv(paths)) {
				patterns.add(PathPattern.parse(p));
			}
			List<Pattern> hosts = new ArrayList<>();
			for (String h : csv(md.get("host"))) {
				hosts.add(h.equals("*") ? null : Pattern.compile(h));
			}
			List<String> methods = csv(md.get("method")).stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
			return new Route(service, name, handler, methods, patterns, hosts, md.getOrDefault("body", ""), versions,
					md);
		} catch (IllegalArgumentException invalid) {
			LOG.log(System.Logger.Level.DEBUG, "api router: skipping " + service + " " + endpoint.name() + ": "
					+ invalid.getMessage());
			return null;
		}
	}

	/** The first route that matches method, host and path, or null. The first refresh happens here when needed. */
	Match match(String method, String host, String path) {
		if (!loaded) {
			refresh();
		}
		String bareHost = host == null ? "" : Resolvers.stripPort(host);
		for (Route r : routes) {
			if (!r.methods().isEmpty() && !r.methods().contains(method)) {
				continue;
			}
			if (!r.hosts().isEmpty() && r.hosts().stream().noneMatch(h -> h == null || h.matcher(bareHost).matches())) {
				continue;
			}
			for (PathPattern p : r.paths()) {
				Map<String, String> fields = p.match(path);
				if (fields != null) {
					return new Match(r, new LinkedHashMap<>(fields));
				}
			}
		}
		return null;
	}

	@Override
	public void close() {
		if (watch != null) {
			watch.close();
		}
		if (periodic != null) {
			periodic.cancel(false);
		}
		refresher.shutdownNow();
	}

	private static List<String> csv(String s) {
		if (blank(s)) {
			return List.of();
		}
		return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
	}

	private static boolean blank(String s) {
		return s == null || s.isBlank();
	}
}
