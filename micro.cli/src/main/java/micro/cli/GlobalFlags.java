package micro.cli;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import micro.config.MicroConfig;

/**
 * The global flags of the Go CLI that this runtime knows: every {@link MicroConfig} key, as {@code --key=value} or
 * {@code --key value} (one or two dashes), before the command. {@code --server_metadata} may be repeated.
 */
public final class GlobalFlags {
	/** Flag name → its help text, in the order {@code micro --help} lists them. */
	public static final Map<String, String> FLAGS;
	static {
		Map<String, String> f = new LinkedHashMap<>();
		f.put(MicroConfig.CLIENT_REQUEST_TIMEOUT, "Sets the client request timeout. e.g 500ms, 5s, 1m. Default: 5s");
		f.put(MicroConfig.CLIENT_RETRIES, "Sets the client retries. Default: 1");
		f.put(MicroConfig.CLIENT_POOL_SIZE, "Sets the client connection pool size. Default: 100");
		f.put(MicroConfig.CLIENT_POOL_TTL, "Sets the client connection pool ttl. e.g 500ms, 5s, 1m. Default: 1m");
		f.put(MicroConfig.REGISTER_TTL, "Register TTL in seconds. Default: 60");
		f.put(MicroConfig.REGISTER_INTERVAL, "Register interval in seconds. Default: 30");
		f.put(MicroConfig.SERVER_NAME, "Name of the server. go.micro.srv.example");
		f.put(MicroConfig.SERVER_VERSION, "Version of the server. 1.1.0");
		f.put(MicroConfig.SERVER_ID, "Id of the server. Auto-generated if not specified");
		f.put(MicroConfig.SERVER_ADDRESS, "Bind address for the server. Default: 127.0.0.1:0");
		f.put(MicroConfig.SERVER_ADVERTISE, "Used instead of the server_address when registering with discovery");
		f.put(MicroConfig.SERVER_METADATA, "A list of key-value pairs defining metadata. version=1.0.0 (repeatable)");
		f.put(MicroConfig.BROKER, "Broker for pub/sub. Default: http");
		f.put(MicroConfig.BROKER_ADDRESS, "Comma-separated list of broker addresses");
		f.put(MicroConfig.REGISTRY, "Registry for discovery. etcd, mdns, memory. Default: mdns");
		f.put(MicroConfig.REGISTRY_ADDRESS, "Comma-separated list of registry addresses");
		f.put(MicroConfig.SELECTOR, "Selector used to pick nodes for querying. Default: registry (random)");
		f.put(MicroConfig.TRANSPORT, "Transport mechanism used. Default: http");
		f.put(MicroConfig.TRANSPORT_ADDRESS, "Comma-separated list of transport addresses");
		f.put(MicroConfig.PROXY, "Proxy requests via the HTTP address specified (MICRO_PROXY)");
		FLAGS = java.util.Collections.unmodifiableMap(f);
	}

	private static final Set<String> INTEGERS = Set.of(MicroConfig.CLIENT_RETRIES, MicroConfig.CLIENT_POOL_SIZE);
	private static final Set<String> DURATIONS = Set.of(MicroConfig.CLIENT_REQUEST_TIMEOUT,
			MicroConfig.CLIENT_POOL_TTL, MicroConfig.REGISTER_TTL, MicroConfig.REGISTER_INTERVAL);

	private GlobalFlags() {
	}

	/** The parsed command line: the flags given, the command (null when none) and its arguments. */
	public record Parsed(Map<String, String> flags, boolean help, boolean version, String command, List<String> args) {
	}

	/**
	 * Parses the global flags up to the command.
	 *
	 * @throws CliException on an unknown flag, a flag without its value or an invalid value
	 */
	public static Parsed parse(List<String> argv) {
		Map<String, String> flags = new LinkedHashMap<>();
		boolean help = false;
		boolean version = false;
		int i = 0;
		while (i < argv.size() && argv.get(i).startsWith("-")) {
			String arg = argv.get(i++);
			if (arg.equals("--")) {
				break;
			}
			String name = stripDashes(arg);
			String value = null;
			int eq = name.indexOf('=');
			if (eq >= 0) {
				value = name.substring(eq + 1);
				name = name.substring(0, eq);
			}
			if (value == null && (name.equals("help") || name.equals("h"))) {
				help = true;
				continue;
			}
			if (value == null && (name.equals("version") || name.equals("v"))) {
				version = true;
				continue;
			}
			if (!FLAGS.containsKey(name)) {
				throw new UsageException("Incorrect Usage. flag provided but not defined: -" + name
						+ "\nSee 'micro --help' for the global flags.");
			}
			if (value == null) {
				if (i >= argv.size()) {
					throw new UsageException("Incorrect Usage. flag needs an argument: -" + name);
				}
				value = argv.get(i++);
			}
			put(flags, name, value);
		}
		String command = i < argv.size() ? argv.get(i++) : null;
		return new Parsed(flags, help, version, command, List.copyOf(argv.subList(i, argv.size())));
	}

	/** Takes the global flags found anywhere in {@code args} (used by {@code micro server [flags]}); returns the rest. */
	public static List<String> extract(List<String> args, Map<String, String> into) {
		List<String> rest = new ArrayList<>();
		for (int i = 0; i < args.size(); i++) {
			String arg = args.get(i);
			String name = arg.startsWith("-") ? stripDashes(arg) : "";
			int eq = name.indexOf('=');
			String key = eq >= 0 ? name.substring(0, eq) : name;
			if (!FLAGS.containsKey(key)) {
				rest.add(arg);
				continue;
			}
			String value;
			if (eq >= 0) {
				value = name.substring(eq + 1);
			} else if (i + 1 < args.size()) {
				value = args.get(++i);
			} else {
				throw new UsageException("Incorrect Usage. flag needs an argument: -" + key);
			}
			put(into, key, value);
		}
		return rest;
	}

	private static void put(Map<String, String> flags, String name, String value) {
		check(name, value);
		if (name.equals(MicroConfig.SERVER_METADATA) && flags.containsKey(name)) {
			flags.put(name, flags.get(name) + "," + value);
		} else {
			flags.put(name, value);
		}
	}

	/** Refuses a value the runtime could not use, naming the flag (or variable) and the expected form. */
	public static void check(String name, String value) {
		try {
			if (INTEGERS.contains(name)) {
				Integer.parseInt(value.trim());
			} else if (DURATIONS.contains(name)) {
				MicroConfig.parseDuration(value, ChronoUnit.SECONDS);
			}
		} catch (IllegalArgumentException e) {
			String form = INTEGERS.contains(name) ? "a whole number" : "a duration such as 5s, 500ms or 1m";
			throw new UsageException("invalid value \"" + value + "\" for flag -" + name + ": expected " + form);
		}
	}

	private static String stripDashes(String arg) {
		return arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
	}
}
