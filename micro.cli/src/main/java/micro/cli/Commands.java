package micro.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import micro.cli.format.JsonIndent;
import micro.cli.format.RuntimeFormat;
import micro.cli.format.ServiceFormat;
import micro.cli.runtime.RunResponse;
import micro.client.CallOptions;
import micro.client.Client;
import micro.client.Request;
import micro.codec.RawBody;
import micro.errors.MicroError;
import micro.metadata.Metadata;
import micro.registry.Registry;
import micro.registry.RegistryException;
import micro.registry.Service;

/**
 * The commands shared by the terminal ({@link Main}) and the Gogo shell: each takes the words after the command name
 * and returns the text to print (without the final newline), or throws {@link CliException} with the message to print
 * on stderr.
 */
public final class Commands {
	private static final ObjectMapper JSON = new ObjectMapper();
	/** How long {@code run} waits for a started bundle's services to show up in the registry. */
	private static final long REGISTRATION_WAIT_MILLIS = 5000;

	public static final String USAGE_LIST = "micro list services";
	public static final String USAGE_GET = "micro get service <name>";
	public static final String USAGE_CALL = "micro call [--address host:port] [--metadata k=v]... [--output raw] <service> <endpoint> [json]";
	public static final String USAGE_RUN = "micro run <bundle jar, or folder with target/*.jar or a bundle jar>";
	public static final String USAGE_KILL = "micro kill <bundle symbolic name or service name>";
	public static final String USAGE_STATUS = "micro status";

	private final Registry registry;
	private final Supplier<Client> client;
	private final Supplier<RuntimeAccess> runtime;
	private final String defaultAddress;

	/**
	 * @param client         made on first use (listing the registry needs none)
	 * @param runtime        the container's runtime operations, made on first use
	 * @param defaultAddress the node {@code call} calls when no {@code --address} is given ({@code MICRO_ADDRESS}); may be
	 *                       null
	 */
	public Commands(Registry registry, Supplier<Client> client, Supplier<RuntimeAccess> runtime, String defaultAddress) {
		this.registry = registry;
		this.client = client;
		this.runtime = runtime;
		this.defaultAddress = defaultAddress;
	}

	/** {@code list services}. */
	public String list(List<String> args) {
		if (args.size() != 1 || !args.get(0).equals("services")) {
			throw new CliException("usage: " + USAGE_LIST);
		}
		try {
			List<Service> services = registry.listServices();
			if (services.isEmpty()) {
				services = registry.listServices();
			}
			return ServiceFormat.serviceNames(services);
		} catch (RegistryException e) {
			throw new CliException(e.getMessage(), e);
		}
	}

	/**
	 * A service's versions, looking twice before answering "none": a registry that collects answers for a short while
	 * (mDNS, 100 ms) misses a node that answers late on a busy machine, and the second look costs only that while.
	 */
	static List<Service> lookup(Registry registry, String name) throws RegistryException {
		List<Service> versions = registry.getService(name);
		return versions.isEmpty() ? registry.getService(name) : versions;
	}

	/** {@code get service <name>}. */
	public String get(List<String> args) {
		if (args.size() != 2 || !args.get(0).equals("service")) {
			throw new CliException(args.size() == 1 && args.get(0).equals("service") ? "service required"
					: "usage: " + USAGE_GET);
		}
		List<Service> versions;
		try {
			versions = lookup(registry, args.get(1));
		} catch (RegistryException e) {
			throw new CliException(e.getMessage(), e);
		}
		if (versions.isEmpty()) {
			throw new CliException("Service not found");
		}
		return ServiceFormat.service(versions);
	}

	/** {@code call [flags] <service> <endpoint> [json]}: the response re-indented with tabs, or raw. */
	public String call(List<String> args) {
		String address = defaultAddress;
		boolean raw = false;
		Map<String, String> metadata = new LinkedHashMap<>();
		List<String> positional = new ArrayList<>();
		for (int i = 0; i < args.size(); i++) {
			String arg = args.get(i);
			if (!arg.startsWith("-") || arg.equals("-")) {
				positional.add(arg);
				continue;
			}
			String name = arg.replaceFirst("^--?", "");
			String value = null;
			int eq = name.indexOf('=');
			if (eq >= 0) {
				value = name.substring(eq + 1);
				name = name.substring(0, eq);
			}
			if (!List.of("address", "metadata", "output", "o").contains(name)) {
				throw new CliException("Incorrect Usage. flag provided but not defined: -" + name + "\nusage: " + USAGE_CALL);
			}
			if (value == null) {
				if (++i >= args.size()) {
					throw new CliException("Incorrect Usage. flag needs an argument: -" + name);
				}
				value = args.get(i);
			}
			switch (name) {
			case "address" -> address = value;
			case "metadata" -> {
				int kv = value.indexOf('=');
				if (kv <= 0) {
					throw new CliException("invalid metadata \"" + value + "\": expected key=value");
				}
				metadata.put(value.substring(0, kv), value.substring(kv + 1));
			}
			default -> {
				if (!value.equals("raw")) {
					throw new CliException("invalid output \"" + value + "\": the only output format is raw");
				}
				raw = true;
			}
			}
		}
		if (positional.size() < 2) {
			throw new CliException("require service and endpoint e.g micro call greeter Say.Hello '{\"name\": \"john\"}'");
		}
		String service = positional.get(0);
		String endpoint = positional.get(1);
		String body = positional.size() > 2 ? String.join(" ", positional.subList(2, positional.size())).strip() : "{}";
		requireJsonObject(body);

		CallOptions options = CallOptions.DEFAULTS.withMetadata(new Metadata(metadata));
		if (address != null && !address.isBlank()) {
			options = options.withAddress(address);
		}
		RawBody response;
		try {
			response = client.get().call(new Request(service, endpoint, RawBody.of(body), Request.DEFAULT_CONTENT_TYPE),
					RawBody.class, options);
		} catch (RuntimeException e) {
			throw new CliException("error calling " + service + "." + endpoint + ": "
					+ MicroError.from(Client.ERROR_ID, e).toJson(), e);
		}
		if (raw) {
			return response.utf8();
		}
		try {
			return JsonIndent.withTabs(response.utf8());
		} catch (IllegalArgumentException e) {
			throw new CliException("error calling " + service + "." + endpoint + ": the response is not JSON ("
					+ e.getMessage() + "): " + response.utf8(), e);
		}
	}

	/** The request must be a JSON object, as the Go CLI decodes it into a map; nothing is sent otherwise. */
	static void requireJsonObject(String body) {
		JsonNode tree;
		try {
			tree = JSON.readTree(body);
			JsonIndent.validate(body);
		} catch (JsonProcessingException e) {
			throw new CliException("invalid JSON request: " + JsonIndent.reason(e));
		} catch (IllegalArgumentException e) {
			throw new CliException("invalid JSON request: " + e.getMessage());
		}
		if (tree == null || !tree.isObject()) {
			throw new CliException("invalid JSON request: expected an object such as '{\"name\": \"john\"}', got "
					+ (tree == null ? "nothing" : tree.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
		}
	}

	/** {@code run <path>}: installs or updates the bundle in the container and starts it. */
	public String run(List<String> args) {
		if (args.size() != 1) {
			throw new CliException("usage: " + USAGE_RUN);
		}
		Path path = Path.of(args.get(0)).toAbsolutePath().normalize();
		if (!Files.exists(path)) {
			throw new CliException("no such file or folder: " + path);
		}
		RunResponse response = runtime.get().run(path.toString());
		String text = RuntimeFormat.run(response);
		if (!response.ok()) {
			throw new CliException(text);
		}
		List<String> late = awaitRegistered(response.services());
		for (String service : late) {
			text += "\nnote: " + service + " is not in the " + registry.name() + " registry yet";
		}
		return text;
	}

	/** Waits a few seconds for the services to be registered; returns those that are not. */
	private List<String> awaitRegistered(List<String> services) {
		List<String> waiting = new ArrayList<>(services);
		long deadline = System.currentTimeMillis() + REGISTRATION_WAIT_MILLIS;
		while (!waiting.isEmpty()) {
			waiting.removeIf(s -> {
				try {
					return !registry.getService(s).isEmpty();
				} catch (RegistryException e) {
					return false;
				}
			});
			if (waiting.isEmpty() || System.currentTimeMillis() > deadline) {
				break;
			}
			try {
				Thread.sleep(100);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		return waiting;
	}

	/** {@code kill <name>}. */
	public String kill(List<String> args) {
		if (args.size() != 1) {
			throw new CliException("usage: " + USAGE_KILL);
		}
		return RuntimeFormat.kill(runtime.get().kill(args.get(0)));
	}

	/** {@code status}: the container's bundles. */
	public String status(List<String> args) {
		if (!args.isEmpty()) {
			throw new CliException("usage: " + USAGE_STATUS);
		}
		return RuntimeFormat.status(runtime.get().list());
	}
}
