package micro.server;

import java.time.Duration;
import java.util.Map;

/**
 * What a server is made with (go-micro's {@code server.Options}); null fields take the runtime's configured value.
 *
 * @param name             the service name, for example {@code go.micro.srv.example}
 * @param version          default {@code latest}
 * @param address          where to bind; default {@code :0} (an ephemeral port)
 * @param advertise        the address to register instead of the bound one
 * @param metadata         node metadata, added to the {@code broker, protocol, registry, server, transport} keys
 * @param registerTtl      default 60 s
 * @param registerInterval default 30 s
 */
public record ServerOptions(String name, String version, String address, String advertise,
		Map<String, String> metadata, Duration registerTtl, Duration registerInterval) {

	public ServerOptions {
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("a server needs a service name");
		}
		metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
	}

	public static ServerOptions named(String name) {
		return new ServerOptions(name, null, null, null, null, null, null);
	}

	public ServerOptions withVersion(String v) {
		return new ServerOptions(name, v, address, advertise, metadata, registerTtl, registerInterval);
	}

	public ServerOptions withAddress(String a) {
		return new ServerOptions(name, version, a, advertise, metadata, registerTtl, registerInterval);
	}

	public ServerOptions withRegistration(Duration ttl, Duration interval) {
		return new ServerOptions(name, version, address, advertise, metadata, ttl, interval);
	}
}
