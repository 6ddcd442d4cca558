package micro.transport;

import java.io.IOException;
import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The connection layer under MUCP. Plugins register an implementation as an OSGi service with the property
 * {@value #NAME_PROPERTY} ({@code http} is built in; {@code nats} is a plugin).
 */
@ProviderType
public interface Transport {
	String NAME_PROPERTY = "micro.transport";

	/** The name as used by {@code --transport}. */
	String name();

	/** Listens on an address such as {@code :0}, {@code 127.0.0.1:0} or {@code 0.0.0.0:9090}. */
	Listener listen(String address) throws IOException;

	/** Opens a connection to a listener's address. */
	Socket dial(String address, Duration timeout) throws IOException;
}
