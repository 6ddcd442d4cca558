package micro.registry.etcd.internal;

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
 * The etcd registry as an OSGi service ({@code micro.registry=etcd}), configured by the runtime's {@code micro} PID:
 * {@code registry_address}, {@code registry_username}, {@code registry_password}, {@code registry_tls*},
 * {@code registry_timeout} (see {@link EtcdOptions#fromConfig}). A changed configuration makes DS deactivate this
 * registry and activate a new one; the server's next re-registration writes its nodes through the new one.
 */
@Component(service = Registry.class, property = Registry.NAME_PROPERTY + "=" + EtcdRegistry.NAME,
		configurationPid = MicroConfig.PID)
public class EtcdRegistryComponent implements Registry {
	private EtcdRegistry registry;

	@Activate
	void activate(Map<String, Object> properties) {
		registry = new EtcdRegistry(EtcdOptions.fromConfig(MicroConfig.of(properties)));
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

	@Override
	public String toString() {
		return String.valueOf(registry);
	}
}
