package micro.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.logging.Level;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

import micro.client.CallOptions;
import micro.client.Client;
import micro.client.Request;
import micro.codec.RawBody;
import micro.registry.Registry;
import micro.registry.Service;
import micro.server.HandlerProperties;

/**
 * Hot install: a running container serving a handler on the memory registry gets the etcd bundle installed and the
 * configuration switched to etcd, and the same handler is then registered in etcd, without a restart. Uninstalling the
 * bundle takes the node out of etcd and the container back to the registry it used before, by itself
 * ({@code micro.runtime.internal.PluginFallback}); installing it again selects etcd again.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EtcdHotInstallIT {
	private static final String SERVICE = "it.hot";

	@Inject
	BundleContext context;

	@Inject
	ConfigurationAdmin configAdmin;

	public record Ask(String from) {
	}

	public record Answer(String text) {
	}

	public static final class Greeter {
		public Answer hello(Ask ask) {
			return new Answer("hello " + ask.from());
		}
	}

	@Configuration
	public Option[] config() {
		return new Option[] { ContainerOptions.container(name -> name.startsWith("micro.registry.etcd")) };
	}

	private void configure(String registry, String address) throws Exception {
		org.osgi.service.cm.Configuration c = configAdmin.getConfiguration("micro", "?");
		Dictionary<String, Object> props = new Hashtable<>();
		props.put("registry", registry);
		props.put("registry.target", "(micro.registry=" + registry + ")");
		if (address != null) {
			props.put("registry_address", address);
		}
		props.put("register_interval", "1");
		props.put("register_ttl", "10");
		c.update(props);
	}

	private List<Service> lookup(String registryName) throws Exception {
		Collection<ServiceReference<Registry>> refs = context.getServiceReferences(Registry.class,
				"(" + Registry.NAME_PROPERTY + "=" + registryName + ")");
		if (refs.isEmpty()) {
			return null;
		}
		ServiceReference<Registry> ref = refs.iterator().next();
		try {
			return context.getService(ref).getService(SERVICE);
		} finally {
			context.ungetService(ref);
		}
	}

	private String stored(String key) throws Exception {
		Object v = configAdmin.getConfiguration("micro", "?").getProperties().get(key);
		return v == null ? null : String.valueOf(v);
	}

	private boolean servedOn(String registryName) throws Exception {
		List<Service> found = lookup(registryName);
		return found != null && !found.isEmpty()
				&& registryName.equals(found.get(0).nodes().get(0).metadata().get("registry"));
	}

	private boolean inEtcd(EtcdProcess etcd) throws Exception {
		String keys = etcd.etcdctl("get", "--prefix", "/micro/registry/" + SERVICE + "/", "--keys-only");
		return keys != null && keys.startsWith("/micro/registry/" + SERVICE + "/" + SERVICE + "-");
	}

	private String call() throws Exception {
		ServiceReference<Client> ref = context.getServiceReference(Client.class);
		Client client = context.getService(ref);
		try {
			return client.call(new Request(SERVICE, "Greeter.Hello", RawBody.of("{\"from\":\"it\"}")), RawBody.class,
					CallOptions.DEFAULTS.withTimeout(Duration.ofSeconds(2))).utf8().trim();
		} finally {
			context.ungetService(ref);
		}
	}

	/**
	 * memory → hot-installed etcd → the bundle uninstalled: back on memory by itself → installed again: on etcd again by
	 * itself → stopped, and memory chosen in the configuration meanwhile: it stays on memory when etcd starts again.
	 */
	@Test
	public void switchesToAHotInstalledEtcdFallsBackWhenItGoesAndReturnsWithIt() throws Exception {
		configure("memory", null);
		Hashtable<String, Object> props = new Hashtable<>();
		props.put(HandlerProperties.SERVICE, SERVICE);
		ServiceRegistration<Object> handler = context.registerService(Object.class, new Greeter(), props);
		Bundle plugin = null;
		try (EtcdProcess etcd = new EtcdProcess(); LogLines log = new LogLines("micro.runtime.internal.PluginFallback")) {
			Await.until("the handler is served on the memory registry", () -> servedOn("memory"));

			plugin = context.installBundle(ContainerOptions.bundleFile("micro.registry.etcd").toURI().toString());
			plugin.start();
			assertEquals(Bundle.ACTIVE, plugin.getState());
			try (LogLines servers = new LogLines("micro.server.internal.RpcServer")) {
				configure("etcd", etcd.endpoint());
				Await.until("the handler is registered in etcd", () -> inEtcd(etcd));
				List<Service> inEtcd = lookup("etcd");
				assertNotNull(inEtcd);
				assertEquals("Greeter.Hello", inEtcd.get(0).endpoints().get(0).name());
				Await.until("the server left the memory registry", () -> lookup("memory").isEmpty());
				Thread.sleep(2000); // a further restart would come now
				// one change, one restart (it was six: each component took the change on its own)
				assertEquals(servers.lines.toString(), 1,
						servers.count(SERVICE + ": mucp server listening"));
				assertEquals(servers.lines.toString(), 1,
						servers.count(SERVICE + ": stopped"));
			}

			plugin.uninstall();
			Await.until("uninstalling the plugin took the node out of etcd", () -> {
				String keys = etcd.etcdctl("get", "--prefix", "/micro/registry/" + SERVICE + "/", "--keys-only");
				return keys != null && keys.isBlank();
			});
			assertNull(lookup("etcd"));
			// nobody touches the configuration: the container goes back to what it used before etcd, and says so
			Await.until("back on the memory registry by itself", () -> servedOn("memory"));
			assertEquals("memory", stored("registry"));
			assertEquals("(micro.registry=memory)", stored("registry.target"));
			assertEquals("{\"text\":\"hello it\"}", call());
			assertTrue(log.lines.toString(), log.lines.stream().anyMatch(l -> l.startsWith(
					"micro: registry etcd went away with bundle micro.registry.etcd ") && l.contains("falling back to registry memory")));
			for (Bundle b : context.getBundles()) {
				boolean fragment = b.getHeaders().get("Fragment-Host") != null;
				assertTrue(b.getSymbolicName() + " is active", fragment || b.getState() == Bundle.ACTIVE);
			}

			// the plugin comes back, the configuration asked for it: etcd again, at its address
			plugin = context.installBundle(ContainerOptions.bundleFile("micro.registry.etcd").toURI().toString());
			plugin.start();
			Await.until("registered in etcd again", () -> inEtcd(etcd));
			assertEquals("etcd", stored("registry"));
			assertEquals(etcd.endpoint(), stored("registry_address"));
			Await.until("the server left the memory registry again", () -> lookup("memory").isEmpty());
			assertTrue(log.lines.toString(), log.lines.stream().anyMatch(l -> l.startsWith(
					"micro: registry etcd is back (bundle micro.registry.etcd); selected again at " + etcd.endpoint())));

			// stopped: memory again; then memory chosen explicitly (with an address): that choice stands
			plugin.stop();
			Await.until("back on memory after a stop", () -> servedOn("memory"));
			configure("memory", "127.0.0.1:1");
			Await.until("the choice is delivered", () -> "127.0.0.1:1".equals(stored("registry_address")));
			plugin.start();
			Await.until("etcd's registry is there again",
					() -> !context.getServiceReferences(Registry.class, "(micro.registry=etcd)").isEmpty());
			Thread.sleep(1000);
			assertEquals("memory", stored("registry"));
			assertTrue(servedOn("memory"));
		} finally {
			handler.unregister();
			uninstall(plugin);
		}
	}

	/** With nothing known to go back to, the fallback is the default registry, mdns (on loopback). */
	@Test
	public void withNothingToGoBackToItFallsBackToTheDefault() throws Exception {
		Bundle plugin = null;
		try (EtcdProcess etcd = new EtcdProcess();
				LogLines log = new LogLines("micro.runtime.internal.PluginFallback", Level.FINE)) {
			configure("nothing", null);
			// in force before going on, for the client and for the fallback, which remembers what it was delivered: a
			// quick second change could be delivered in its place, and the fallback would remember an earlier test's
			Await.until("nothing is bound", () -> context.getServiceReference(Client.class) == null);
			Await.until("the fallback has seen it", () -> log.lines.stream()
					.anyMatch(l -> l.startsWith("micro: registry selection (micro.registry=nothing) in force")));
			plugin = context.installBundle(ContainerOptions.bundleFile("micro.registry.etcd").toURI().toString());
			plugin.start();
			configure("etcd", etcd.endpoint());
			Await.until("the client is bound", () -> context.getServiceReference(Client.class) != null);
			plugin.uninstall();
			Await.until("the default is selected", () -> "mdns".equals(stored("registry")));
			assertEquals("(micro.registry=mdns)", stored("registry.target"));
			assertNull(stored("registry_address"));
			Await.until("the client is bound to mdns", () -> context.getServiceReference(Client.class) != null);
			assertTrue(log.lines.toString(), log.lines.stream().anyMatch(l -> l.contains("falling back to registry mdns")));
		} finally {
			uninstall(plugin);
		}
	}

	private static void uninstall(Bundle plugin) throws Exception {
		if (plugin != null && plugin.getState() != Bundle.UNINSTALLED) {
			plugin.uninstall();
		}
	}
}
