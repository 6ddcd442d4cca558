package micro.registry.mdns.internal;

import java.util.Map;

import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;

import micro.config.MicroConfig;
import micro.registry.ForwardingRegistry;
import micro.registry.Registry;
import micro.runtime.Reactivation;

/**
 * The mDNS registry as an OSGi service ({@code micro.registry=mdns}), configured by the runtime's {@code micro} PID:
 * {@code registry_address} empty (loopback), an IPv4 address or an interface name. A change of these options makes DS
 * deactivate (goodbyes) and activate a new registry.
 */
@Component(service = Registry.class, property = Registry.NAME_PROPERTY + "=" + MdnsRegistry.NAME,
		configurationPid = MicroConfig.PID)
public class MdnsRegistryComponent extends ForwardingRegistry {
	private MdnsRegistry registry;

	private MdnsOptions options;

	@Activate
	void activate(Map<String, Object> properties) {
		options = MdnsOptions.fromConfig(MicroConfig.of(properties));
		registry = new MdnsRegistry(options);
	}

	/**
	 * The {@code micro} configuration changes for every component of the runtime: this registry is made again only when
	 * its own options change, so the servers and clients bound to it are not restarted for nothing.
	 */
	@Modified
	void modified(ComponentContext context, Map<String, Object> properties) {
		Reactivation.reactivateIfChanged(context, options, () -> MdnsOptions.fromConfig(MicroConfig.of(properties)));
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
