package micro.runtime.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

import micro.config.MicroConfig;
import micro.server.HandlerProperties;
import micro.server.Server;
import micro.server.ServerFactory;
import micro.server.ServerOptions;
import micro.server.internal.RpcServer;

/**
 * The handler whiteboard: serves every OSGi service that carries {@value HandlerProperties#SERVICE} (a handler) or
 * {@value HandlerProperties#TOPIC} (a subscriber), whatever interface it is registered under.
 * <p>
 * Services are grouped by service name ({@value HandlerProperties#SERVICE}; a subscriber without one joins the
 * configured {@code server_name}, else {@code go.micro.server}). Each group has one server made by the
 * {@link ServerFactory}, started when its first member arrives and stopped (so deregistered) when its last leaves. A
 * handler's endpoint type is {@value HandlerProperties#HANDLER} or its class's simple name; the server's version is
 * the first member's {@value HandlerProperties#VERSION}. A service with {@value HandlerProperties#TOPIC} is a
 * subscriber only (queue {@value HandlerProperties#QUEUE}). Changes are applied in order on one thread of the
 * whiteboard, so a slow registry never holds up the framework.
 * <p>
 * The factory is followed dynamically: when it is replaced (a configuration change that selects another registry,
 * broker or transport replaces it, sometimes several times in a row as each component takes the change), the servers
 * are stopped with the old one and made again with the new one once it has stayed for {@link #SETTLE_MILLIS}, so one
 * change restarts each server once.
 */
@Component(name = "micro.server.whiteboard", immediate = true, service = {}, configurationPid = MicroConfig.PID,
		configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class HandlerWhiteboard {
	static final String FILTER = "(|(" + HandlerProperties.SERVICE + "=*)(" + HandlerProperties.TOPIC + "=*))";
	/** How long a new factory must stay before servers are made with it, when it replaces another. */
	static final long SETTLE_MILLIS = 500;
	private static final String DEFAULT_SERVER_NAME = "go.micro.server";
	private static final System.Logger LOG = System.getLogger(HandlerWhiteboard.class.getName());

	/** One tracked service: what it is and under which group it is served. */
	private record Member(Object target, String group, String topic, String queue, String handlerName, String version) {
	}

	private static final class Group {
		/** Null while there is no factory, or a new one is settling. */
		Server server;
		final Map<ServiceReference<?>, Member> members = new LinkedHashMap<>();
	}

	private final Map<String, Group> groups = new LinkedHashMap<>();
	/** The members by reference, whatever their group (the whiteboard's thread only). */
	private final Map<ServiceReference<?>, Member> served = new LinkedHashMap<>();
	private final ScheduledThreadPoolExecutor changes = new ScheduledThreadPoolExecutor(1, r -> {
		Thread t = new Thread(r, "micro-server-whiteboard");
		t.setDaemon(true);
		return t;
	});
	private ServiceTracker<Object, Object> tracker;
	/** The whiteboard's thread only: the factory in use, whether one was used before, the pending settle. */
	private ServerFactory factory;
	private boolean hadFactory;
	private long settling;
	private long factoryChanges;
	private volatile String defaultServerName = DEFAULT_SERVER_NAME;
	/**
	 * The factory DS bound last, null once it is unbound; set at once on DS's thread, while the whiteboard's thread
	 * learns of the change only when it gets to it. A server that fails to start on a factory that is no longer this
	 * one failed because its registry went with the factory: it is started on the next one.
	 */
	private volatile ServerFactory latestFactory;

	public HandlerWhiteboard() {
		changes.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
	}

	@Activate
	void activate(BundleContext context, Map<String, Object> properties) throws InvalidSyntaxException {
		this.defaultServerName = serverName(properties);
		Filter filter = context.createFilter(FILTER);
		this.tracker = new ServiceTracker<>(context, filter, new ServiceTrackerCustomizer<Object, Object>() {
			@Override
			public Object addingService(ServiceReference<Object> reference) {
				Object target = context.getService(reference);
				if (target == null) {
					return null;
				}
				change(() -> add(reference, member(reference, target)));
				return target;
			}

			@Override
			public void modifiedService(ServiceReference<Object> reference, Object target) {
				change(() -> {
					Member now = member(reference, target);
					if (!now.equals(served.get(reference))) {
						remove(reference);
						add(reference, now);
					}
				});
			}

			@Override
			public void removedService(ServiceReference<Object> reference, Object target) {
				change(() -> {
					remove(reference);
					try {
						context.ungetService(reference);
					} catch (IllegalStateException stopping) {
						// our bundle is stopping: the framework releases the service itself
					}
				});
			}
		});
		tracker.open(true);
	}

	/** Only a changed {@code server_name} matters here (it names the group of subscribers without a service). */
	@Modified
	void modified(Map<String, Object> properties) {
		String name = serverName(properties);
		if (name.equals(defaultServerName)) {
			return;
		}
		defaultServerName = name;
		change(() -> {
			Map<ServiceReference<?>, Member> all = new LinkedHashMap<>(served);
			all.keySet().forEach(this::remove);
			all.forEach((ref, m) -> add(ref, member(ref, m.target())));
		});
	}

	private static String serverName(Map<String, Object> properties) {
		return MicroConfig.of(properties).get(MicroConfig.SERVER_NAME, DEFAULT_SERVER_NAME);
	}

	@Reference(name = "serverFactory", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
			policyOption = ReferencePolicyOption.GREEDY)
	void bindServerFactory(ServerFactory bound) {
		latestFactory = bound;
		change(() -> {
			dropServers();
			factory = bound;
			if (!hadFactory) {
				hadFactory = true;
				serveAll();
				return;
			}
			// a replacement: others may follow at once (each component takes a configuration change on its own)
			long mine = ++factoryChanges;
			settling = mine;
			changes.schedule(RpcServer.onBehalfOf(() -> {
				if (settling == mine) {
					settling = 0;
					serveAll();
				}
			}), SETTLE_MILLIS, TimeUnit.MILLISECONDS);
		});
	}

	void unbindServerFactory(ServerFactory unbound) {
		if (latestFactory == unbound) {
			latestFactory = null;
		}
		change(() -> {
			if (factory == unbound) {
				dropServers();
				factory = null;
			}
		});
	}

	private Member member(ServiceReference<?> ref, Object target) {
		String topic = text(ref.getProperty(HandlerProperties.TOPIC));
		String service = text(ref.getProperty(HandlerProperties.SERVICE));
		String group = service != null ? service : defaultServerName;
		return new Member(target, group, topic, text(ref.getProperty(HandlerProperties.QUEUE)),
				text(ref.getProperty(HandlerProperties.HANDLER)), text(ref.getProperty(HandlerProperties.VERSION)));
	}

	/** A property as one string: the first of an array or collection; null when blank. */
	private static String text(Object value) {
		Object v = value;
		if (v instanceof Object[] a) {
			v = a.length == 0 ? null : a[0];
		} else if (v instanceof java.util.Collection<?> c) {
			v = c.isEmpty() ? null : c.iterator().next();
		}
		String s = v == null ? null : String.valueOf(v).trim();
		return s == null || s.isEmpty() ? null : s;
	}

	/**
	 * Whether servers can be made now: a factory is bound, not settling, and not already on its way out (DS has unbound
	 * or replaced it; the change that says so is still queued). The whiteboard's thread only.
	 */
	private boolean ready() {
		return factory != null && settling == 0 && factory == latestFactory;
	}

	/** Runs on the whiteboard's thread. */
	private void add(ServiceReference<?> ref, Member m) {
		Group g = groups.computeIfAbsent(m.group(), name -> new Group());
		if (g.server != null && !serve(g, m)) {
			if (g.members.isEmpty()) {
				groups.remove(m.group());
			}
			return;
		}
		g.members.put(ref, m);
		served.put(ref, m);
		if (g.server == null && ready()) {
			start(m.group(), g);
		}
	}

	/** Makes and starts the group's server with all its members. Runs on the whiteboard's thread. */
	private void start(String name, Group g) {
		Member first = g.members.values().iterator().next();
		ServerOptions options = ServerOptions.named(name);
		if (first.version() != null) {
			options = options.withVersion(first.version());
		}
		g.server = factory.create(options);
		g.members.entrySet().removeIf(e -> {
			boolean failed = !serve(g, e.getValue());
			if (failed) {
				served.remove(e.getKey());
			}
			return failed;
		});
		if (g.members.isEmpty()) {
			groups.remove(name);
			return;
		}
		try {
			g.server.start();
		} catch (IOException | RuntimeException e) {
			if (latestFactory != factory) {
				LOG.log(System.Logger.Level.DEBUG, "{0}: the server factory went while the server started ({1}); "
						+ "the server starts on the next factory", name, e.getMessage());
			} else {
				LOG.log(System.Logger.Level.ERROR, "{0}: cannot start the server: {1}", name, e.getMessage());
			}
		}
	}

	/** Adds a member to the group's server; false (and logged) when the server refuses it. */
	private static boolean serve(Group g, Member m) {
		try {
			if (m.topic() != null) {
				g.server.subscribe(m.topic(), m.target(), m.queue());
			} else {
				g.server.handle(m.handlerName(), m.target(), Map.of());
			}
			return true;
		} catch (RuntimeException e) {
			LOG.log(System.Logger.Level.ERROR, "{0}: cannot serve {1}: {2}", m.group(), m.target().getClass().getName(),
					e.getMessage());
			return false;
		}
	}

	/** Runs on the whiteboard's thread. */
	private void remove(ServiceReference<?> ref) {
		Member m = served.remove(ref);
		Group g = m == null ? null : groups.get(m.group());
		if (g == null || g.members.remove(ref) == null) {
			return;
		}
		if (g.server != null) {
			try {
				if (m.topic() != null) {
					g.server.unsubscribe(m.target());
				} else {
					g.server.unhandle(m.target());
				}
			} catch (RuntimeException e) {
				LOG.log(System.Logger.Level.WARNING, "{0}: removing {1}: {2}", m.group(), m.target().getClass().getName(),
						e.getMessage());
			}
		}
		if (g.members.isEmpty()) {
			groups.remove(m.group());
			if (g.server != null) {
				g.server.stop();
			}
		}
	}

	/** Makes servers for the groups that have none. Runs on the whiteboard's thread. */
	private void serveAll() {
		if (ready()) {
			new LinkedHashMap<>(groups).forEach((name, g) -> {
				if (g.server == null) {
					start(name, g);
				}
			});
		}
	}

	/** Stops every server, keeping the members for the next factory. Runs on the whiteboard's thread. */
	private void dropServers() {
		for (Group g : groups.values()) {
			if (g.server != null) {
				g.server.stop();
				g.server = null;
			}
		}
	}

	@Deactivate
	void deactivate() {
		tracker.close();
		change(() -> {
			dropServers();
			groups.clear();
			served.clear();
		});
		changes.shutdown();
		try {
			if (!changes.awaitTermination(15, TimeUnit.SECONDS)) {
				LOG.log(System.Logger.Level.WARNING, "server whiteboard: servers still stopping after 15 s");
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Queues a change for the whiteboard's thread. A change made while serving a request (the runtime service removing
	 * the plugin a server is bound to deactivates this whiteboard, which stops its servers and waits) carries that
	 * request along, so that stopping its server does not wait for it. Once deactivated (the factory is unbound after
	 * that), there is nothing left to change.
	 */
	private void change(Runnable task) {
		try {
			changes.execute(RpcServer.onBehalfOf(task));
		} catch (RejectedExecutionException deactivated) {
			// the servers were stopped with the whiteboard
		}
	}

	/** The service names served now (for tests and diagnostics). */
	Map<String, Server> servers() throws InterruptedException {
		Map<String, Server> out = new LinkedHashMap<>();
		java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
		change(() -> {
			groups.forEach((name, g) -> {
				if (g.server != null) {
					out.put(name, g.server);
				}
			});
			done.countDown();
		});
		done.await(15, TimeUnit.SECONDS);
		return out;
	}
}
