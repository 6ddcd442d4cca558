package micro.server;

import java.time.Instant;

import micro.metadata.Metadata;

/**
 * What a handler knows about the request it serves: the metadata (every incoming header, plus {@code Local} and
 * {@code Remote}), the deadline from the {@code Timeout} header, the service and endpoint.
 */
public interface Context {
	Metadata metadata();

	String service();

	String endpoint();

	/** The deadline, or null when the caller set none. */
	Instant deadline();
}
