package micro.server;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Makes servers on the runtime's selected registry, broker and transport. Registered as an OSGi service by the
 * runtime.
 */
@ProviderType
public interface ServerFactory {
	Server create(ServerOptions options);
}
