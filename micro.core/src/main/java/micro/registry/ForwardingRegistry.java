package micro.registry;

import java.time.Duration;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A registry that passes every call to another one. Plugin bundles extend it for their DS component, which makes the
 * real registry from its configuration when it is activated and closes it when it is deactivated, so the component
 * itself carries only that life cycle.
 */
@ConsumerType
public abstract class ForwardingRegistry implements Registry {
	/** The registry calls go to; never null while the component is active. */
	protected abstract Registry delegate();

	@Override
	public String name() {
		return delegate().name();
	}

	@Override
	public void register(Service service, Duration ttl) throws RegistryException {
		delegate().register(service, ttl);
	}

	@Override
	public void deregister(Service service) throws RegistryException {
		delegate().deregister(service);
	}

	@Override
	public List<Service> getService(String name) throws RegistryException {
		return delegate().getService(name);
	}

	@Override
	public List<Service> listServices() throws RegistryException {
		return delegate().listServices();
	}

	@Override
	public Watch watch(String service, WatchListener listener) throws RegistryException {
		return delegate().watch(service, listener);
	}

	@Override
	public String toString() {
		return String.valueOf(delegate());
	}
}
