package micro.runtime.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
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
 */
@org.osgi.service.component.annotations.Component(name = "micro.server.whiteboard", immediate = true, service = {},
		configurationPid = MicroConfig.PID,
		configurationPolicy = org.osgi.service.component.annotations.ConfigurationPolicy.OPTIONAL)
public class HandlerWhiteboard {
	static final String FILTER = "(|(" + HandlerProperties.SERVICE + "=*)(" + HandlerProperties.TOPIC + "=*))";
	private static final String DEFAULT_SERVER_NAME = "go.micro.server";
	private static final System.Logger LOG = System.getLogger(HandlerWhiteboard.class.getName());

	/** One tracked service: what it is and under which group it was added. */
	private record Member(Object target, String group, String topic, String queue, String handlerName, String version) {
	}

	private static final class Group {
		final Server server;
		final Map<ServiceReference<?>, Member> members = new LinkedHashMap<>();

		Group(Server server) {
			this.server = server;
		}
	}

	private final ServerFactory factory;
	private final String defaultServerName;
	private final Map<String, Group> groups = new LinkedHashMap<>();
	private final ExecutorService changes = Executors.newSingleThreadExecutor(r -> {
		Thread t = new Thread(r, "micro-server-whiteboard");
		t.setDaemon(true);
		return t;
	});
	private final ServiceTracker<Object, Member> tracker;

	@org.osgi.service.component.annotations.Activate
	public HandlerWhiteboard(BundleContext context,
			@org.osgi.service.component.annotations.Reference(name = "serverFactory") ServerFactory factory,
			Map<String, Object> properties) throws InvalidSyntaxException {
		this.factory = factory;
		this.defaultServerName = RuntimeComponents.config(properties).get(MicroConfig.SERVER_NAME, DEFAULT_SERVER_NAME);
		Filter filter = context.createFilter(FILTER);
		this.tracker = new ServiceTracker<>(context, filter, new ServiceTrackerCustomizer<Object, Member>() {
			@Override
			public Member addingService(ServiceReference<Object> reference) {
				Object target = context.getService(reference);
				if (target == null) {
					return null;
				}
				Member m = member(reference, target);
				change(() -> add(reference, m));
				return m;
			}

			@Override
			public void modifiedService(ServiceReference<Object> reference, Member old) {
				Member now = member(reference, old.target());
				if (!now.equals(old)) {
					change(() -> {
						remove(reference, old);
						add(reference, now);
					});
				}
			}

			@Override
			public void removedService(ServiceReference<Object> reference, Member m) {
				change(() -> {
					remove(reference, m);
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

	/** Runs on the whiteboard's thread. */
	private void add(ServiceReference<?> ref, Member m) {
		Group g = groups.get(m.group());
		if (g == null) {
			ServerOptions options = ServerOptions.named(m.group());
			if (m.version() != null) {
				options = options.withVersion(m.version());
			}
			g = new Group(factory.create(options));
			groups.put(m.group(), g);
		}
		try {
			if (m.topic() != null) {
				g.server.subscribe(m.topic(), m.target(), m.queue());
			} else {
				g.server.handle(m.handlerName(), m.target(), Map.of());
			}
			g.members.put(ref, m);
		} catch (RuntimeException e) {
			LOG.log(System.Logger.Level.ERROR, "{0}: cannot serve {1}: {2}", m.group(), m.target().getClass().getName(),
					e.getMessage());
		}
		if (!g.members.isEmpty() && !g.server.isStarted()) {
			try {
				g.server.start();
			} catch (IOException | RuntimeException e) {
				LOG.log(System.Logger.Level.ERROR, "{0}: cannot start the server: {1}", m.group(), e.getMessage());
			}
		}
		if (g.members.isEmpty()) {
			groups.remove(m.group());
		}
	}

	/** Runs on the whiteboard's thread. */
	private void remove(ServiceReference<?> ref, Member m) {
		Group g = groups.get(m.group());
		if (g == null || g.members.remove(ref) == null) {
			return;
		}
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
		if (g.members.isEmpty()) {
			groups.remove(m.group());
			g.server.stop();
		}
	}

	@org.osgi.service.component.annotations.Deactivate
	void deactivate() {
		tracker.close();
		change(() -> {
			for (Group g : groups.values()) {
				g.server.stop();
			}
			groups.clear();
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
	 * request along, so that stopping its server does not wait for it.
	 */
	private void change(Runnable task) {
		changes.execute(RpcServer.onBehalfOf(task));
	}

	/** The service names served now (for tests and diagnostics). */
	Map<String, Server> servers() throws InterruptedException {
		Map<String, Server> out = new LinkedHashMap<>();
		java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
		change(() -> {
			groups.forEach((name, g) -> out.put(name, g.server));
			done.countDown();
		});
		done.await(15, TimeUnit.SECONDS);
		return out;
	}
}
