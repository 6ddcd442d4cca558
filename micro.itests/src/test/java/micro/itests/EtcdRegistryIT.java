package micro.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;
import java.util.Collection;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

import micro.registry.Node;
import micro.registry.Registry;
import micro.registry.RegistryException;
import micro.registry.Service;

/**
 * The etcd registry bundle in Felix: it resolves with jetcd embedded, exports nothing, registers
 * {@code micro.registry=etcd}, follows the {@code micro} configuration, and talks to a real etcd from inside the
 * container (grpc, netty and vert.x loading through the bundle's class path).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EtcdRegistryIT {
	@Inject
	BundleContext context;

	@Inject
	ConfigurationAdmin configAdmin;

	@Configuration
	public Option[] config() {
		return new Option[] { ContainerOptions.container(name -> false) };
	}

	private Bundle bundle() {
		for (Bundle b : context.getBundles()) {
			if ("micro.registry.etcd".equals(b.getSymbolicName())) {
				return b;
			}
		}
		throw new AssertionError("micro.registry.etcd is not installed");
	}

	private Registry etcdRegistry(long waitMillis) throws Exception {
		return etcdRegistry(waitMillis, "(" + Registry.NAME_PROPERTY + "=etcd)");
	}

	/** The service id of the etcd registry in force now. */
	private Object etcdRegistryId() throws Exception {
		return context.getServiceReferences(Registry.class, "(" + Registry.NAME_PROPERTY + "=etcd)").iterator().next()
				.getProperty("service.id");
	}

	/**
	 * The etcd registry once DS has activated a new instance ({@code before} is the old one's service id) with this
	 * address. Configuration properties are service properties, and DS publishes the new ones on the old instance too,
	 * while that one is being deactivated.
	 */
	private Registry etcdRegistryAt(String address, Object before, long waitMillis) throws Exception {
		return etcdRegistry(waitMillis, "(&(" + Registry.NAME_PROPERTY + "=etcd)(registry_address=" + address
				+ ")(!(service.id=" + before + ")))");
	}

	private Registry etcdRegistry(long waitMillis, String filter) throws Exception {
		long deadline = System.currentTimeMillis() + waitMillis;
		do {
			Collection<ServiceReference<Registry>> refs = context.getServiceReferences(Registry.class, filter);
			if (!refs.isEmpty()) {
				return context.getService(refs.iterator().next());
			}
			Thread.sleep(50);
		} while (System.currentTimeMillis() < deadline);
		return null;
	}

	private void configure(String address) throws Exception {
		org.osgi.service.cm.Configuration c = configAdmin.getConfiguration("micro", "?");
		Hashtable<String, Object> props = new Hashtable<>();
		props.put("registry_address", address);
		props.put("registry_timeout", "2s");
		c.update(props);
	}

	@Test
	public void theBundleIsActiveExportsNothingAndRegistersTheEtcdRegistry() throws Exception {
		Bundle b = bundle();
		assertEquals(Bundle.ACTIVE, b.getState());
		assertEquals(null, b.getHeaders().get("Export-Package"));
		Registry registry = etcdRegistry(5000);
		assertNotNull("a Registry with micro.registry=etcd", registry);
		assertEquals("etcd", registry.name());
	}

	@Test
	public void anUnreachableEtcdIsReportedClearlyFromInsideTheContainer() throws Exception {
		int closed = EtcdProcess.freePort();
		Object before = etcdRegistryId();
		configure("127.0.0.1:" + closed);
		Registry registry = etcdRegistryAt("127.0.0.1:" + closed, before, 10000);
		assertNotNull("the registry is reconfigured", registry);
		try {
			registry.listServices();
			fail("no etcd listens there");
		} catch (RegistryException e) {
			assertTrue(e.getMessage(), e.getMessage().startsWith("etcd at 127.0.0.1:" + closed + " unreachable"));
		}
	}

	@Test
	public void registersAndLooksUpThroughARealEtcd() throws Exception {
		try (EtcdProcess etcd = new EtcdProcess()) {
			Object before = etcdRegistryId();
			configure(etcd.endpoint());
			Service service = new Service("it.etcd", "1", Map.of(), List.of(),
					List.of(new Node("it.etcd-1", "127.0.0.1:1234", Map.of("registry", "etcd"))));
			long deadline = System.currentTimeMillis() + 40000;
			RegistryException last = null;
			while (System.currentTimeMillis() < deadline) {
				Registry registry = etcdRegistryAt(etcd.endpoint(), before, 5000);
				if (registry == null) {
					continue;
				}
				try {
					registry.register(service, Duration.ofSeconds(30));
					List<Service> found = registry.getService("it.etcd");
					assertEquals("it.etcd-1", found.get(0).nodes().get(0).id());
					assertTrue(etcd.etcdctl("get", "/micro/registry/it.etcd/it.etcd-1").contains("\"it.etcd-1\""));
					registry.deregister(service);
					assertEquals(List.of(), registry.getService("it.etcd"));
					return;
				} catch (RegistryException e) {
					last = e; // etcd still starting, or the component not yet re-activated with the address
					Thread.sleep(200);
				}
			}
			fail("no round trip through etcd: " + last);
		}
	}
}
