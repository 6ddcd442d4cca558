package micro.client;

import java.time.Duration;
import java.util.List;

import micro.metadata.Metadata;
import micro.selector.Strategy;

/**
 * Per-call options (go-micro's {@code CallOption}s). A null or negative field means "the client's configured
 * default".
 */
public record CallOptions(List<String> addresses, Duration timeout, int retries, Metadata metadata,
		Strategy strategy) {

	public static final CallOptions DEFAULTS = new CallOptions(List.of(), null, -1, new Metadata(), null);

	public CallOptions {
		addresses = addresses == null ? List.of() : List.copyOf(addresses);
		metadata = metadata == null ? new Metadata() : metadata.copy();
	}

	/** Call these addresses directly instead of selecting a node. */
	public CallOptions withAddress(String... address) {
		return new CallOptions(List.of(address), timeout, retries, metadata, strategy);
	}

	public CallOptions withTimeout(Duration t) {
		return new CallOptions(addresses, t, retries, metadata, strategy);
	}

	public CallOptions withRetries(int r) {
		return new CallOptions(addresses, timeout, r, metadata, strategy);
	}

	public CallOptions withMetadata(Metadata m) {
		return new CallOptions(addresses, timeout, retries, m, strategy);
	}

	public CallOptions withStrategy(Strategy s) {
		return new CallOptions(addresses, timeout, retries, metadata, s);
	}
}
