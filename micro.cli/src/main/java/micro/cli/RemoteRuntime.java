package micro.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import micro.cli.runtime.BundleRunner;
import micro.cli.runtime.KillResponse;
import micro.cli.runtime.ListResponse;
import micro.cli.runtime.RunResponse;
import micro.client.CallOptions;
import micro.client.Client;
import micro.client.Request;
import micro.codec.RawBody;
import micro.errors.MicroError;
import micro.registry.Registry;
import micro.registry.RegistryException;

/**
 * Calls the {@code go.micro.runtime} service of a running {@code micro server}, found in the registry like any other
 * service. Installing a bundle can take longer than a call's default timeout, so the calls here allow 30 seconds.
 */
public final class RemoteRuntime implements RuntimeAccess {
	private static final ObjectMapper JSON = new ObjectMapper()
			.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final Registry registry;
	private final Client client;

	public RemoteRuntime(Registry registry, Client client) {
		this.registry = registry;
		this.client = client;
	}

	@Override
	public RunResponse run(String absolutePath) {
		return call("Runtime.Run", Map.of("path", absolutePath), RunResponse.class);
	}

	@Override
	public KillResponse kill(String name) {
		return call("Runtime.Kill", Map.of("name", name), KillResponse.class);
	}

	@Override
	public ListResponse list() {
		return call("Runtime.List", Map.of(), ListResponse.class);
	}

	private <T> T call(String endpoint, Map<String, String> request, Class<T> responseType) {
		requireServer();
		try {
			RawBody body = RawBody.of(JSON.writeValueAsString(request));
			RawBody response = client.call(new Request(BundleRunner.SERVICE, endpoint, body), RawBody.class,
					CallOptions.DEFAULTS.withTimeout(TIMEOUT));
			return JSON.readValue(response.bytes(), responseType);
		} catch (MicroError e) {
			throw new CliException(e.detail().isEmpty() ? e.toJson() : e.detail(), e);
		} catch (IOException e) {
			throw new CliException("unexpected answer from " + BundleRunner.SERVICE + " " + endpoint + ": " + e.getMessage(), e);
		}
	}

	/** Fails with what to do when no server has registered the runtime service. */
	void requireServer() {
		boolean found;
		try {
			found = !Commands.lookup(registry, BundleRunner.SERVICE).isEmpty();
		} catch (RegistryException e) {
			throw new CliException("cannot query the " + registry.name() + " registry: " + e.getMessage(), e);
		}
		if (!found) {
			throw new CliException("no micro server is running (" + BundleRunner.SERVICE + " not found in the "
					+ registry.name() + " registry); start one with: micro server");
		}
	}
}
