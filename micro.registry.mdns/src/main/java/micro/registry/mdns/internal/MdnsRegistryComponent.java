package micro.registry.mdns.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import micro.config.MicroConfig;
import micro.registry.Registry;
import micro.registry.RegistryException;
import micro.registry.Service;
import micro.registry.Watch;
import micro.registry.WatchListener;

/**
 * The mDNS registry as an OSGi service ({@code micro.registry=mdns}), configured by the runtime's {@code micro} PID:
 * {@code registry_address} empty (loopback), an IPv4 address or an interface name. A changed configuration makes DS
 * deactivate (goodbyes) and activate a new registry.
 */
@Component(service = Registry.class, property = Registry.NAME_PROPERTY + "=" + MdnsRegistry.NAME,
		configurationPid = MicroConfig.PID)
public class MdnsRegistryComponent implements Registry {
	private MdnsRegistry registry;

	@Activate
	void activate(Map<String, Object> properties) {
		registry = new MdnsRegistry(MdnsOptions.fromConfig(MicroConfig.of(properties)));
	}

	@Deactivate
	void deactivate() {
		registry.close();
	}

	@Override
	public String name() {
		return registry.name();
	}

	@Override
	public void register(Service service, Duration ttl) throws RegistryException {
		registry.register(service, ttl);
	}

	@Override
	public void deregister(Service service) throws RegistryException {
		registry.deregister(service);
	}

	@Override
	public List<Service> getService(String name) throws RegistryException {
		return registry.getService(name);
	}

	@Override
	public List<Service> listServices() throws RegistryException {
		return registry.listServices();
	}

	@Override
	public Watch watch(String service, WatchListener listener) throws RegistryException {
		return registry.watch(service, listener);
	}
}
