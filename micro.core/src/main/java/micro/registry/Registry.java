package micro.registry;

import java.time.Duration;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A service registry. Plugins register an implementation as an OSGi service with the property
 * {@value #NAME_PROPERTY} (for example {@code mdns}, {@code etcd}, {@code memory}); the runtime selects the configured
 * one with a target filter.
 */
@ProviderType
public interface Registry {
	/** The OSGi service property that names a registry implementation. */
	String NAME_PROPERTY = "micro.registry";

	/** The name of this implementation, as used by {@code --registry}. */
	String name();

	/** Registers (or refreshes) the nodes of a service; they expire after {@code ttl} unless registered again. */
	void register(Service service, Duration ttl) throws RegistryException;

	/** Removes the nodes of the service. */
	void deregister(Service service) throws RegistryException;

	/** One entry per version of the service; an empty list when it is not known. */
	List<Service> getService(String name) throws RegistryException;

	/** All known services; the nodes may be left empty by registries that only list names (mDNS). */
	List<Service> listServices() throws RegistryException;

	/**
	 * Watches the registry, or only one service when {@code service} is not null. The listener is called from a thread
	 * of the registry; closing the returned handle stops the watch.
	 */
	Watch watch(String service, WatchListener listener) throws RegistryException;
}
