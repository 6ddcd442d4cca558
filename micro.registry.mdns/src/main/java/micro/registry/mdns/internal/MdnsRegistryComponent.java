package micro.registry.mdns.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import micro.config.MicroConfig;
import micro.registry.ForwardingRegistry;
import micro.registry.Registry;

/**
 * The mDNS registry as an OSGi service ({@code micro.registry=mdns}), configured by the runtime's {@code micro} PID:
 * {@code registry_address} empty (loopback), an IPv4 address or an interface name. A changed configuration makes DS
 * deactivate (goodbyes) and activate a new registry.
 */
@Component(service = Registry.class, property = Registry.NAME_PROPERTY + "=" + MdnsRegistry.NAME,
		configurationPid = MicroConfig.PID)
public class MdnsRegistryComponent extends ForwardingRegistry {
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
	protected Registry delegate() {
		return registry;
	}
}
