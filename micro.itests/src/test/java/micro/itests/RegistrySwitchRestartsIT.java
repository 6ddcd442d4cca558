package micro.itests;

import static org.junit.Assert.assertEquals;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

import micro.registry.Registry;
import micro.registry.Service;
import micro.server.HandlerProperties;

/**
 * One change of the {@code micro} configuration restarts each served handler's server once when it switches the
 * registry, and not at all when it changes only what the servers do not use (a server logs its start and stop at
 * INFO; those lines are counted).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RegistrySwitchRestartsIT {
	private static final String SERVICE = "it.restarts";

	@Inject
	BundleContext context;

	@Inject
	ConfigurationAdmin configAdmin;

	@Configuration
	public Option[] config() {
		return new Option[] { ContainerOptions.container(name -> name.startsWith("micro.registry.etcd")) };
	}

	public static final class Greeter {
		public Map<String, String> hello(Map<String, String> request) {
			return Map.of("greeting", "hello");
		}
	}

	private void configure(String registry, String clientRetries) throws Exception {
		Dictionary<String, Object> props = new Hashtable<>();
		props.put("registry", registry);
		props.put("registry.target", "(micro.registry=" + registry + ")");
		props.put("broker.target", "(micro.broker=http)");
		props.put("transport.target", "(micro.transport=http)");
		props.put("client_retries", clientRetries);
		configAdmin.getConfiguration("micro", "?").update(props);
	}

	private boolean servedOn(String registryName) throws Exception {
		for (ServiceReference<Registry> ref : context.getServiceReferences(Registry.class,
				"(" + Registry.NAME_PROPERTY + "=" + registryName + ")")) {
			try {
				List<Service> found = context.getService(ref).getService(SERVICE);
				return !found.isEmpty() && !found.get(0).nodes().isEmpty()
						&& registryName.equals(found.get(0).nodes().get(0).metadata().get("registry"));
			} finally {
				context.ungetService(ref);
			}
		}
		return false;
	}

	@Test
	public void oneSwitchRestartsTheServerOnceAndAnUnrelatedChangeNotAtAll() throws Exception {
		configure("memory", "1");
		Hashtable<String, Object> props = new Hashtable<>();
		props.put(HandlerProperties.SERVICE, SERVICE);
		ServiceRegistration<Object> handler = context.registerService(Object.class, new Greeter(), props);
		try (LogLines whiteboard = new LogLines("micro.runtime.internal.HandlerWhiteboard")) {
			Await.until("served on memory", () -> servedOn("memory"));
			Thread.sleep(2000); // the start-up's own changes are over

			try (LogLines log = new LogLines("micro.server.internal.RpcServer")) {
				configure("mdns", "1");
				Await.until("served on mdns", () -> servedOn("mdns"));
				Thread.sleep(3000); // any further restart would come now
				assertEquals(log.lines.toString(), 1, log.count(SERVICE + ": mucp server listening"));
				assertEquals(log.lines.toString(), 1, log.count(SERVICE + ": stopped"));
			}
			try (LogLines log = new LogLines("micro.server.internal.RpcServer")) {
				configure("memory", "1");
				Await.until("served on memory again", () -> servedOn("memory"));
				Thread.sleep(3000);
				assertEquals(log.lines.toString(), 1, log.count(SERVICE + ": mucp server listening"));
				assertEquals(log.lines.toString(), 1, log.count(SERVICE + ": stopped"));
			}
			try (LogLines log = new LogLines("micro.server.internal.RpcServer")) {
				configure("memory", "3"); // the client's retries: nothing a server uses
				Thread.sleep(3000);
				assertEquals(log.lines.toString(), 0, log.count(SERVICE + ": mucp server listening"));
				assertEquals(log.lines.toString(), 0, log.count(SERVICE + ": stopped"));
				assertEquals(true, servedOn("memory"));
			}
			// a start on the factory being replaced fails on its closed registry: not an error, it starts on the next
			assertEquals(whiteboard.lines.toString(), 0, whiteboard.count(SERVICE + ": cannot start"));
		} finally {
			handler.unregister();
		}
	}
}
