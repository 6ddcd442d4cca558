package micro.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import micro.cli.runtime.BundleRunner;
import micro.cli.runtime.KillResponse;
import micro.cli.runtime.ListResponse;
import micro.cli.runtime.PluginsResponse;
import micro.cli.runtime.RunResponse;
import micro.client.CallOptions;
import micro.client.Client;
import micro.client.Request;
import micro.codec.RawBody;
import micro.errors.MicroError;
import micro.registry.Node;
import micro.registry.Registry;
import micro.registry.RegistryException;
import micro.registry.Service;

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

	@Override
	public PluginsResponse plugins() {
		return call("Runtime.Plugins", Map.of(), PluginsResponse.class);
	}

	@Override
	public KillResponse removePlugin(String name) {
		return call("Runtime.PluginRemove", Map.of("name", name), KillResponse.class);
	}

	private <T> T call(String endpoint, Map<String, String> request, Class<T> responseType) {
		List<String> addresses = requireServer();
		try {
			RawBody body = RawBody.of(JSON.writeValueAsString(request));
			// the nodes just found are called directly: a second registry query could miss them on a busy machine
			RawBody response = client.call(new Request(BundleRunner.SERVICE, endpoint, body), RawBody.class,
					CallOptions.DEFAULTS.withTimeout(TIMEOUT).withAddress(addresses.toArray(String[]::new)));
			return JSON.readValue(response.bytes(), responseType);
		} catch (MicroError e) {
			throw new CliException(e.detail().isEmpty() ? e.toJson() : e.detail(), e);
		} catch (IOException e) {
			throw new CliException("unexpected answer from " + BundleRunner.SERVICE + " " + endpoint + ": " + e.getMessage(), e);
		}
	}

	/** The addresses of the runtime service's nodes; fails with what to do when no server has registered it. */
	List<String> requireServer() {
		List<String> addresses = new ArrayList<>();
		try {
			for (Service version : Commands.lookup(registry, BundleRunner.SERVICE)) {
				for (Node node : version.nodes()) {
					addresses.add(node.address());
				}
			}
		} catch (RegistryException e) {
			throw new CliException("cannot query the " + registry.name() + " registry: " + e.getMessage(), e);
		}
		if (addresses.isEmpty()) {
			throw new CliException("no micro server is running (" + BundleRunner.SERVICE + " not found in the "
					+ registry.name() + " registry); start one with: micro server");
		}
		return addresses;
	}
}
