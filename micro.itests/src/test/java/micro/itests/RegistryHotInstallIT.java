package micro.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

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
import micro.config.MicroConfig;
import micro.registry.Registry;
import micro.registry.Service;
import micro.runtime.MicroTargets;
import micro.server.HandlerProperties;

/**
 * A container running the in-memory registry picks up the mDNS registry bundle when it is hot-installed and selected
 * in the configuration: the handler it serves is registered again in mDNS and the client finds it there, without a
 * restart of the container or of the handler's bundle.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RegistryHotInstallIT {
	static final String SERVICE = "go.micro.srv.hotinstall";

	@Inject
	BundleContext context;

	@Inject
	ConfigurationAdmin configAdmin;

	@Configuration
	public Option[] config() {
		return new Option[] { ContainerOptions.container(name -> name.startsWith("micro.registry.mdns")) };
	}

	/** A handler: {@code Greeter.Hello}. */
	public static class Greeter {
		public Map<String, String> hello(Map<String, String> request) {
			return Map.of("greeting", "Hello " + request.get("name"));
		}
	}

	@Test
	public void mdnsBundleIsPickedUpAndSelectedWithoutRestart() throws Exception {
		select("memory");
		Dictionary<String, Object> props = new Hashtable<>();
		props.put(HandlerProperties.SERVICE, SERVICE);
		ServiceRegistration<Object> handler = context.registerService(Object.class, new Greeter(), props);
		try {
			await("the handler is registered in the memory registry", () -> registered("memory"));
			assertEquals("{\"greeting\":\"Hello memory\"}", call("memory"));
			assertNull(registryNamed("mdns"));

			Bundle mdns = context.installBundle(ContainerOptions.bundleFile("micro.registry.mdns").toURI().toString());
			mdns.start();
			assertEquals(Bundle.ACTIVE, mdns.getState());
			await("the mdns registry service appears", () -> registryNamed("mdns") != null);

			select("mdns");
			await("the handler is registered again, in mDNS", () -> registered("mdns"));
			assertEquals("{\"greeting\":\"Hello mdns\"}", call("mdns"));

			// and back: removing the plugin while memory is selected leaves the container serving
			select("memory");
			await("the handler is registered in memory again", () -> registered("memory"));
			mdns.uninstall();
			await("the mdns registry service is gone", () -> registryNamed("mdns") == null);
			assertEquals("{\"greeting\":\"Hello back\"}", call("back"));
		} finally {
			handler.unregister();
		}
	}

	private void select(String registry) throws Exception {
		Map<String, String> values = new java.util.TreeMap<>();
		values.put(MicroConfig.REGISTRY, registry);
		values.putAll(MicroTargets.of(MicroConfig.of(values)));
		Dictionary<String, Object> d = new Hashtable<>(values);
		configAdmin.getConfiguration(MicroConfig.PID, "?").update(d);
	}

	private Registry registryNamed(String name) {
		try {
			for (ServiceReference<Registry> ref : context.getServiceReferences(Registry.class,
					MicroTargets.filter(Registry.NAME_PROPERTY, name))) {
				return context.getService(ref);
			}
		} catch (Exception e) {
			throw new IllegalStateException(e);
		}
		return null;
	}

	private boolean registered(String registryName) {
		Registry r = registryNamed(registryName);
		if (r == null) {
			return false;
		}
		try {
			List<Service> found = r.getService(SERVICE);
			return !found.isEmpty() && !found.get(0).nodes().isEmpty()
					&& found.get(0).nodes().get(0).metadata().get("registry").equals(registryName);
		} catch (Exception e) {
			return false;
		}
	}

	private String call(String name) throws Exception {
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		Exception last = null;
		while (System.nanoTime() < end) {
			ServiceReference<Client> ref = context.getServiceReference(Client.class);
			if (ref != null) {
				Client client = context.getService(ref);
				try {
					RawBody rsp = client.call(
							new Request(SERVICE, "Greeter.Hello", RawBody.of("{\"name\":\"" + name + "\"}")),
							RawBody.class, CallOptions.DEFAULTS.withTimeout(Duration.ofSeconds(2)));
					return rsp.utf8().trim();
				} catch (Exception e) {
					last = e;
				} finally {
					context.ungetService(ref);
				}
			}
			Thread.sleep(100);
		}
		fail("no successful call within 10 s: " + last);
		return null;
	}

	private static void assertNull(Object o) {
		assertTrue("expected nothing, got " + o, o == null);
	}

	private static void await(String what, BooleanSupplier condition) throws InterruptedException {
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
		while (System.nanoTime() < end) {
			if (condition.getAsBoolean()) {
				return;
			}
			Thread.sleep(100);
		}
		fail("timed out waiting until " + what);
	}
}
