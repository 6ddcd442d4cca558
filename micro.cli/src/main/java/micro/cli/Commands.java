package micro.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import micro.cli.format.DebugFormat;
import micro.cli.format.JsonIndent;
import micro.cli.format.RuntimeFormat;
import micro.cli.format.ServiceFormat;
import micro.cli.runtime.ListResponse;
import micro.cli.runtime.PluginsResponse;
import micro.cli.runtime.RunResponse;
import micro.client.CallOptions;
import micro.client.Client;
import micro.client.ClientStream;
import micro.client.Request;
import micro.codec.RawBody;
import micro.errors.MicroError;
import micro.metadata.Metadata;
import micro.registry.Node;
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
	/** Reads go-micro's registry.Service JSON, which may carry fields this model leaves out. */
	private static final ObjectMapper LENIENT_JSON = new ObjectMapper()
			.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
	/** How long {@code run} waits for a started bundle's services to show up in the registry. */
	private static final long REGISTRATION_WAIT_MILLIS = 5000;

	public static final String USAGE_LIST = "micro list services|nodes [--output json]";
	public static final String USAGE_GET = "micro get service [--output json] <name>";
	public static final String USAGE_CALL = "micro call [--address host:port] [--metadata k=v]... [--output raw] <service> <endpoint> [json]";
	public static final String USAGE_STREAM = "micro stream [--address host:port] [--metadata k=v]... [--output raw] <service> <endpoint> [json]";
	public static final String USAGE_PUBLISH = "micro publish [--metadata k=v]... <topic> <json>";
	public static final String USAGE_HEALTH = "micro health [--output json] <service>   or, as an HTTP health sidecar:"
			+ " micro health --check_service <name> [--check_address host:port] [--address 127.0.0.1:8088]";
	public static final String USAGE_STATS = "micro stats [--output json] <service>";
	public static final String USAGE_REGISTER = "micro register service '<registry.Service JSON>'";
	public static final String USAGE_DEREGISTER = "micro deregister service '<registry.Service JSON>'";
	public static final String USAGE_PLUGIN = "micro plugin list [--output json] | install <jar, folder or group:artifact:version> | remove <name>";
	public static final String USAGE_RUN = "micro run <bundle jar, or folder with target/*.jar or a bundle jar>";
	public static final String USAGE_KILL = "micro kill <bundle symbolic name or service name>";
	public static final String USAGE_STATUS = "micro status [--output json]";

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

	/** {@code list services} (the names) and {@code list nodes} (every node of every service). */
	public String list(List<String> args) {
		CommandArgs a = CommandArgs.parse(args, Set.of("output"), USAGE_LIST);
		List<String> words = a.positional();
		if (words.size() != 1 || !(words.get(0).equals("services") || words.get(0).equals("nodes"))) {
			throw new UsageException("usage: " + USAGE_LIST);
		}
		boolean json = a.json();
		try {
			List<Service> services = registry.listServices();
			if (services.isEmpty()) {
				services = registry.listServices();
			}
			if (words.get(0).equals("services")) {
				return json ? toJson(new TreeSet<>(services.stream().map(Service::name).toList()))
						: ServiceFormat.serviceNames(services);
			}
			List<ServiceFormat.NodeRow> rows = new ArrayList<>();
			for (String name : new TreeSet<>(services.stream().map(Service::name).toList())) {
				for (Service version : lookup(registry, name)) {
					for (Node node : version.nodes()) {
						rows.add(new ServiceFormat.NodeRow(name, version.version(), node.id(), node.address(), node.metadata()));
					}
				}
			}
			return json ? toJson(rows) : ServiceFormat.nodes(rows);
		} catch (RegistryException e) {
			throw new CliException(e.getMessage(), e);
		}
	}

	/** Jackson's JSON of a value, indented with tabs as every other JSON this command line prints. */
	static String toJson(Object value) {
		try {
			return JsonIndent.withTabs(JSON.writeValueAsString(value));
		} catch (JsonProcessingException e) {
			throw new CliException("cannot write JSON: " + e.getMessage(), e);
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
		CommandArgs a = CommandArgs.parse(args, Set.of("output"), USAGE_GET);
		List<String> words = a.positional();
		if (words.size() != 2 || !words.get(0).equals("service")) {
			throw new UsageException(words.size() == 1 && words.get(0).equals("service") ? "service required"
					: "usage: " + USAGE_GET);
		}
		boolean json = a.json();
		List<Service> versions = versions(words.get(1));
		return json ? toJson(versions) : ServiceFormat.service(versions);
	}

	/** The versions of a service, or "Service not found" as Go says it. */
	private List<Service> versions(String name) {
		List<Service> versions;
		try {
			versions = lookup(registry, name);
		} catch (RegistryException e) {
			throw new CliException(e.getMessage(), e);
		}
		if (versions.isEmpty()) {
			throw new CliException("Service not found");
		}
		return versions;
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
				throw new UsageException("Incorrect Usage. flag provided but not defined: -" + name + "\nusage: " + USAGE_CALL);
			}
			if (value == null) {
				if (++i >= args.size()) {
					throw new UsageException("Incorrect Usage. flag needs an argument: -" + name);
				}
				value = args.get(i);
			}
			switch (name) {
			case "address" -> address = value;
			case "metadata" -> {
				int kv = value.indexOf('=');
				if (kv <= 0) {
					throw new UsageException("invalid metadata \"" + value + "\": expected key=value");
				}
				metadata.put(value.substring(0, kv), value.substring(kv + 1));
			}
			default -> {
				if (!value.equals("raw") && !value.equals("json")) {
					throw new UsageException("invalid output \"" + value + "\": expected json (the default) or raw");
				}
				raw = value.equals("raw");
			}
			}
		}
		if (positional.size() < 2) {
			throw new UsageException("require service and endpoint e.g micro call greeter Say.Hello '{\"name\": \"john\"}'");
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
			throw new UsageException("usage: " + USAGE_RUN);
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
			throw new UsageException("usage: " + USAGE_KILL);
		}
		return RuntimeFormat.kill(runtime.get().kill(args.get(0)));
	}

	/** {@code status}: the container's bundles. */
	public String status(List<String> args) {
		CommandArgs a = CommandArgs.parse(args, Set.of("output"), USAGE_STATUS);
		if (!a.positional().isEmpty()) {
			throw new UsageException("usage: " + USAGE_STATUS);
		}
		boolean json = a.json();
		ListResponse bundles = runtime.get().list();
		return json ? toJson(bundles.bundles()) : RuntimeFormat.status(bundles);
	}

	/**
	 * {@code stream [flags] <service> <endpoint> [json]}. As Go, the stream is opened with an empty first message (the
	 * MUCP server discards the first message's body, §8.1.6 of the reference) and the request is sent next; this side
	 * then closes its sending half, so a bidirectional endpoint ends too. Each message is printed as soon as it comes,
	 * indented with tabs and followed by a newline (Go prints them back to back); the end of the stream is not an
	 * error (Go reports EOS as one and exits with 1).
	 */
	public void stream(List<String> args, Consumer<String> print) {
		CommandArgs a = CommandArgs.parse(args, Set.of("address", "metadata", "output"), USAGE_STREAM);
		List<String> words = a.positional();
		if (words.size() < 2) {
			throw new UsageException("require service and endpoint e.g micro stream go.micro.srv.example Example.Stream '{\"count\": 3}'");
		}
		String output = a.get("output", "json");
		if (!output.equals("json") && !output.equals("raw")) {
			throw new UsageException("invalid output \"" + output + "\": expected json (the default) or raw");
		}
		String service = words.get(0);
		String endpoint = words.get(1);
		String body = words.size() > 2 ? String.join(" ", words.subList(2, words.size())).strip() : "{}";
		requireJsonObject(body);
		CallOptions options = CallOptions.DEFAULTS.withMetadata(new Metadata(a.metadata()));
		String address = a.get("address", defaultAddress);
		if (address != null && !address.isBlank()) {
			options = options.withAddress(address);
		}
		try (ClientStream stream = client.get().stream(
				new Request(service, endpoint, RawBody.of("{}"), Request.DEFAULT_CONTENT_TYPE), options)) {
			stream.send(RawBody.of(body));
			stream.closeSend();
			RawBody message;
			while ((message = stream.recv(RawBody.class)) != null) {
				print.accept(output.equals("raw") ? message.utf8() : JsonIndent.withTabs(message.utf8()));
			}
		} catch (IllegalArgumentException e) {
			throw new CliException("error streaming " + service + "." + endpoint + ": a message is not JSON: "
					+ e.getMessage(), e);
		} catch (RuntimeException e) {
			throw new CliException("error streaming " + service + "." + endpoint + ": "
					+ MicroError.from(Client.ERROR_ID, e).toJson(), e);
		}
	}

	/** {@code publish [--metadata k=v]... <topic> <json>}: prints {@code ok}. */
	public String publish(List<String> args) {
		CommandArgs a = CommandArgs.parse(args, Set.of("metadata"), USAGE_PUBLISH);
		List<String> words = a.positional();
		if (words.size() < 2) {
			throw new UsageException("require topic and message e.g micro publish event '{\"hello\": \"world\"}'");
		}
		String topic = words.get(0);
		String body = String.join(" ", words.subList(1, words.size())).strip();
		try {
			JsonIndent.validate(body);
		} catch (IllegalArgumentException e) {
			throw new CliException("invalid JSON message: " + e.getMessage());
		}
		try {
			client.get().publish(topic, RawBody.of(body), Request.DEFAULT_CONTENT_TYPE,
					CallOptions.DEFAULTS.withMetadata(new Metadata(a.metadata())));
		} catch (RuntimeException e) {
			throw new CliException("error publishing to " + topic + ": " + MicroError.from(Client.ERROR_ID, e).toJson(), e);
		}
		return "ok";
	}

	static final Set<String> HEALTH_FLAGS = Set.of("output", "address", "check_service", "check_address");

	/** Whether {@code health} is asked for the HTTP sidecar (no service named) rather than the node table. */
	public static boolean healthSidecar(List<String> args) {
		return CommandArgs.parse(args, HEALTH_FLAGS, USAGE_HEALTH).positional().isEmpty();
	}

	/** {@code health <service>}: {@code Debug.Health} on every node; exit code 1 when a node is not healthy. */
	public String health(List<String> args) {
		CommandArgs a = CommandArgs.parse(args, HEALTH_FLAGS, USAGE_HEALTH);
		if (a.positional().size() != 1) {
			throw new UsageException("usage: " + USAGE_HEALTH);
		}
		boolean json = a.json();
		String name = a.positional().get(0);
		List<DebugFormat.NodeHealth> rows = new ArrayList<>();
		int failed = 0;
		for (Service version : versions(name)) {
			for (Node node : version.nodes()) {
				String status;
				try {
					JsonNode rsp = debug(name, "Debug.Health", node);
					status = rsp.path("status").asText("");
				} catch (RuntimeException e) {
					status = MicroError.from(Client.ERROR_ID, e).toJson();
				}
				if (!status.equals("ok")) {
					failed++;
				}
				rows.add(new DebugFormat.NodeHealth(name, version.version(), node.id(), node.address(), status));
			}
		}
		String text = json ? toJson(rows) : DebugFormat.health(name, rows);
		if (failed > 0) {
			throw new FailedWithOutput(text, failed + " of " + rows.size() + " nodes of " + name + " not healthy");
		}
		return text;
	}

	/** {@code stats <service>}: {@code Debug.Stats} on every node. */
	public String stats(List<String> args) {
		CommandArgs a = CommandArgs.parse(args, Set.of("output"), USAGE_STATS);
		if (a.positional().size() != 1) {
			throw new UsageException("usage: " + USAGE_STATS);
		}
		boolean json = a.json();
		String name = a.positional().get(0);
		List<DebugFormat.NodeStats> rows = new ArrayList<>();
		int failed = 0;
		for (Service version : versions(name)) {
			for (Node node : version.nodes()) {
				try {
					JsonNode r = debug(name, "Debug.Stats", node);
					// a Go service's JSON (jsonpb) writes uint64 fields as strings: asLong reads both
					rows.add(new DebugFormat.NodeStats(name, version.version(), node.id(), node.address(),
							r.path("started").asLong(), r.path("uptime").asLong(), r.path("memory").asLong(),
							r.path("threads").asLong(), r.path("gc").asLong(), ""));
				} catch (RuntimeException e) {
					failed++;
					rows.add(new DebugFormat.NodeStats(name, version.version(), node.id(), node.address(), 0, 0, 0, 0, 0,
							MicroError.from(Client.ERROR_ID, e).toJson()));
				}
			}
		}
		String text = json ? toJson(rows) : DebugFormat.stats(name, rows, ZoneId.systemDefault());
		if (failed > 0) {
			throw new FailedWithOutput(text, failed + " of " + rows.size() + " nodes of " + name + " did not answer");
		}
		return text;
	}

	/** Calls an endpoint of the internal Debug handler on one node, in JSON, without retries. */
	private JsonNode debug(String service, String endpoint, Node node) {
		RawBody body = client.get().call(new Request(service, endpoint, RawBody.of("{\"service\":" + quote(service) + "}"),
				Request.DEFAULT_CONTENT_TYPE), RawBody.class, CallOptions.DEFAULTS.withAddress(node.address()).withRetries(0));
		try {
			return JSON.readTree(body.bytes());
		} catch (IOException e) {
			throw MicroError.internalServerError(Client.ERROR_ID, endpoint + " answered something that is not JSON: "
					+ body.utf8());
		}
	}

	private static String quote(String text) {
		try {
			return JSON.writeValueAsString(text);
		} catch (JsonProcessingException e) {
			throw new IllegalStateException(e);
		}
	}

	/** {@code register service <json>}: registers the go-micro {@code registry.Service}; prints {@code ok}. */
	public String register(List<String> args) {
		Service service = serviceArgument(args, USAGE_REGISTER);
		try {
			registry.register(service, REGISTER_TTL);
		} catch (RegistryException e) {
			throw new CliException("cannot register " + service.name() + ": " + e.getMessage(), e);
		}
		return "ok";
	}

	/** {@code deregister service <json>}: prints {@code ok}. */
	public String deregister(List<String> args) {
		Service service = serviceArgument(args, USAGE_DEREGISTER);
		try {
			registry.deregister(service);
		} catch (RegistryException e) {
			throw new CliException("cannot deregister " + service.name() + ": " + e.getMessage(), e);
		}
		return "ok";
	}

	/** How long a service registered from the command line lives without being registered again (Go's default TTL). */
	private static final Duration REGISTER_TTL = Duration.ofSeconds(60);

	private static Service serviceArgument(List<String> args, String usage) {
		if (args.size() < 2 || !args.get(0).equals("service")) {
			throw new UsageException(args.size() == 1 && args.get(0).equals("service") ? "service required"
					: "usage: " + usage);
		}
		String json = String.join(" ", args.subList(1, args.size())).strip();
		Service service;
		try {
			JsonIndent.validate(json);
			service = LENIENT_JSON.readValue(json, Service.class);
		} catch (IllegalArgumentException e) {
			throw new CliException("invalid service JSON: " + e.getMessage());
		} catch (JsonProcessingException e) {
			throw new CliException("invalid service JSON: " + JsonIndent.reason(e));
		}
		if (service == null || service.name() == null || service.name().isBlank()) {
			throw new CliException("invalid service JSON: it needs a name, e.g. {\"name\": \"go.micro.srv.x\", \"nodes\":"
					+ " [{\"id\": \"x-1\", \"address\": \"127.0.0.1:8080\"}]}");
		}
		return service;
	}

	/**
	 * {@code plugin list}, {@code plugin install <jar | folder | group:artifact:version>} (coordinates are resolved in
	 * the local Maven repository, {@code ~/.m2/repository} or {@code -Dmaven.repo.local}) and {@code plugin remove
	 * <name>}, in the running server.
	 */
	public String plugin(List<String> args) {
		CommandArgs a = CommandArgs.parse(args, Set.of("output"), USAGE_PLUGIN);
		List<String> words = a.positional();
		String sub = words.isEmpty() ? "" : words.get(0);
		switch (sub) {
		case "list" -> {
			if (words.size() != 1) {
				throw new UsageException("usage: " + USAGE_PLUGIN);
			}
			boolean json = a.json();
			PluginsResponse plugins = runtime.get().plugins();
			return json ? toJson(plugins.plugins()) : RuntimeFormat.plugins(plugins);
		}
		case "install" -> {
			if (words.size() != 2) {
				throw new UsageException("usage: " + USAGE_PLUGIN);
			}
			return run(List.of(pluginPath(words.get(1)).toString()));
		}
		case "remove" -> {
			if (words.size() != 2) {
				throw new UsageException("usage: " + USAGE_PLUGIN);
			}
			return RuntimeFormat.kill(runtime.get().removePlugin(words.get(1)));
		}
		default -> throw new UsageException("usage: " + USAGE_PLUGIN);
		}
	}

	/** A path as it is, or Maven coordinates {@code g:a:v} as the jar in the local Maven repository. */
	static Path pluginPath(String what) {
		Path path = Path.of(what);
		if (Files.exists(path) || !what.matches("[^:/\\\\]+:[^:/\\\\]+:[^:/\\\\]+")) {
			return path;
		}
		String[] gav = what.split(":");
		String local = System.getProperty("maven.repo.local");
		Path repository = local != null && !local.isBlank() ? Path.of(local)
				: Path.of(System.getProperty("user.home"), ".m2", "repository");
		Path jar = repository.resolve(gav[0].replace('.', '/')).resolve(gav[1]).resolve(gav[2])
				.resolve(gav[1] + "-" + gav[2] + ".jar");
		if (!Files.isRegularFile(jar)) {
			throw new CliException(what + " is not in the local Maven repository (no " + jar + "): build and install it"
					+ " there, or give the path of its jar");
		}
		return jar;
	}

	/** The commands {@link #execute} runs. */
	public static final List<String> NAMES = List.of("list", "get", "call", "stream", "publish", "health", "stats",
			"register", "deregister", "run", "kill", "status", "plugin");

	/**
	 * Runs one of {@link #NAMES}: its text goes to {@code print} (a stream's messages one by one).
	 *
	 * @throws UsageException for a name that is not a command
	 */
	public void execute(String command, List<String> args, Consumer<String> print) {
		if (command.equals("stream")) {
			stream(args, print);
			return;
		}
		String text = switch (command) {
		case "list" -> list(args);
		case "get" -> get(args);
		case "call" -> call(args);
		case "publish" -> publish(args);
		case "health" -> health(args);
		case "stats" -> stats(args);
		case "register" -> register(args);
		case "deregister" -> deregister(args);
		case "run" -> run(args);
		case "kill" -> kill(args);
		case "status" -> status(args);
		case "plugin" -> plugin(args);
		default -> throw new UsageException("unknown command " + command);
		};
		print.accept(text);
	}
}
