package micro.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.Callable;

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

import micro.registry.Registry;
import micro.registry.Service;
import micro.server.HandlerProperties;

/**
 * Hot install: a running container serving a handler on the memory registry gets the etcd bundle installed and the
 * configuration switched to etcd, and the same handler is then registered in etcd, without a restart; uninstalling the
 * bundle takes the node out of etcd, and switching back puts it into the first registry again.
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

	private static void await(String what, Callable<Boolean> condition) throws Exception {
		long deadline = System.currentTimeMillis() + 30000;
		Exception last = null;
		while (System.currentTimeMillis() < deadline) {
			try {
				if (Boolean.TRUE.equals(condition.call())) {
					return;
				}
			} catch (Exception e) {
				last = e;
			}
			Thread.sleep(200);
		}
		fail(what + (last == null ? "" : ": " + last));
	}

	@Test
	public void switchesToAHotInstalledEtcdAndBack() throws Exception {
		configure("memory", null);
		Hashtable<String, Object> props = new Hashtable<>();
		props.put(HandlerProperties.SERVICE, SERVICE);
		ServiceRegistration<Object> handler = context.registerService(Object.class, new Greeter(), props);
		try (EtcdProcess etcd = new EtcdProcess()) {
			await("the handler is served on the memory registry", () -> {
				List<Service> found = lookup("memory");
				return found != null && !found.isEmpty();
			});

			Bundle plugin = context.installBundle(ContainerOptions.bundleFile("micro.registry.etcd").toURI().toString());
			plugin.start();
			assertEquals(Bundle.ACTIVE, plugin.getState());
			configure("etcd", etcd.endpoint());
			await("the handler is registered in etcd", () -> {
				String keys = etcd.etcdctl("get", "--prefix", "/micro/registry/" + SERVICE + "/", "--keys-only");
				return keys != null && keys.startsWith("/micro/registry/" + SERVICE + "/" + SERVICE + "-");
			});
			List<Service> inEtcd = lookup("etcd");
			assertNotNull(inEtcd);
			assertEquals("Greeter.Hello", inEtcd.get(0).endpoints().get(0).name());
			await("the server left the memory registry", () -> lookup("memory").isEmpty());

			plugin.uninstall();
			await("uninstalling the plugin took the node out of etcd", () -> {
				String keys = etcd.etcdctl("get", "--prefix", "/micro/registry/" + SERVICE + "/", "--keys-only");
				return keys != null && keys.isBlank();
			});
			assertNull(lookup("etcd"));

			configure("memory", null);
			await("back on the memory registry", () -> {
				List<Service> found = lookup("memory");
				return found != null && !found.isEmpty();
			});
			for (Bundle b : context.getBundles()) {
				boolean fragment = b.getHeaders().get("Fragment-Host") != null;
				assertTrue(b.getSymbolicName() + " is active", fragment || b.getState() == Bundle.ACTIVE);
			}
		} finally {
			handler.unregister();
		}
	}
}
