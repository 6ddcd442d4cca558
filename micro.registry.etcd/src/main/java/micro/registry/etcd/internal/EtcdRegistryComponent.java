package micro.registry.etcd.internal;

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
 * The etcd registry as an OSGi service ({@code micro.registry=etcd}), configured by the runtime's {@code micro} PID:
 * {@code registry_address}, {@code registry_username}, {@code registry_password}, {@code registry_tls*},
 * {@code registry_timeout} (see {@link EtcdOptions#fromConfig}). A change of these options makes DS deactivate this
 * registry and activate a new one; the server's next re-registration writes its nodes through the new one.
 */
@Component(service = Registry.class, property = Registry.NAME_PROPERTY + "=" + EtcdRegistry.NAME,
		configurationPid = MicroConfig.PID)
public class EtcdRegistryComponent extends ForwardingRegistry {
	private EtcdRegistry registry;

	private EtcdOptions options;

	@Activate
	void activate(Map<String, Object> properties) {
		options = EtcdOptions.fromConfig(MicroConfig.of(properties));
		registry = new EtcdRegistry(options);
	}

	/**
	 * The {@code micro} configuration changes for every component of the runtime: this registry is made again only when
	 * its own options change, so the servers and clients bound to it are not restarted for nothing.
	 */
	@Modified
	void modified(ComponentContext context, Map<String, Object> properties) {
		Reactivation.reactivateIfChanged(context, options, () -> EtcdOptions.fromConfig(MicroConfig.of(properties)));
	}

	@Deactivate
	void deactivate() {
		registry.close();
		// netty's global executor thread outlives a closed client by a second; the bundle may be going away, so let it
		// finish while the bundle's classes can still be loaded
		try {
			io.netty.util.concurrent.GlobalEventExecutor.INSTANCE.awaitInactivity(2, java.util.concurrent.TimeUnit.SECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		} catch (IllegalStateException e) {
			// never started: nothing to wait for
		}
	}

	@Override
	protected Registry delegate() {
		return registry;
	}
}
