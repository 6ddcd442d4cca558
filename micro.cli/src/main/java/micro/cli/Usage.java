package micro.cli;

import java.util.Locale;
import java.util.Map;

/** The help texts, laid out as the Go CLI's ({@code urfave/cli}). */
final class Usage {
	/** Command → one-line description, in {@code micro --help} order. */
	static final Map<String, String> COMMANDS = orderedCommands();

	private Usage() {
	}

	private static Map<String, String> orderedCommands() {
		Map<String, String> c = new java.util.LinkedHashMap<>();
		c.put("server", "Run the micro server: a Felix container with the runtime and the Gogo shell");
		c.put("new", "Create a service template");
		c.put("api", "Run the api gateway");
		c.put("run", "Install (or update) and start a bundle in the running server");
		c.put("kill", "Uninstall a bundle from the running server, by symbolic name or service name");
		c.put("status", "List the bundles of the running server");
		c.put("plugin", "List, install or remove registry, broker and transport plugins in the running server");
		c.put("call", "Call a service e.g micro call greeter Say.Hello '{\"name\": \"john\"}'");
		c.put("stream", "Create a service stream e.g micro stream go.micro.srv.example Example.Stream '{\"count\": 3}'");
		c.put("publish", "Publish a message to a topic e.g micro publish event '{\"hello\": \"world\"}'");
		c.put("health", "Query the health of a service, or serve an HTTP health check for one");
		c.put("stats", "Query the stats of a service");
		c.put("list", "List items in the registry: micro list services|nodes");
		c.put("get", "Get an item from the registry: micro get service <name>");
		c.put("register", "Register an item in the registry: micro register service '<json>'");
		c.put("deregister", "Deregister an item in the registry: micro deregister service '<json>'");
		c.put("cli", "Run the interactive CLI");
		c.put("completion", "Print the bash or zsh completion script: source <(micro completion bash)");
		c.put("help, h", "Shows a list of commands or help for one command");
		return c;
	}

	static String main(String version) {
		StringBuilder out = new StringBuilder();
		out.append("NAME:\n   micro - A framework for cloud native development (micro for the JVM)\n\n");
		out.append("USAGE:\n   micro [global options] command [command options] [arguments...]\n\n");
		out.append("VERSION:\n   ").append(version).append("\n\n");
		out.append("COMMANDS:\n");
		COMMANDS.forEach((name, text) -> out.append(String.format("   %-11s %s%n", name, text)));
		out.append("\nGLOBAL OPTIONS:\n");
		GlobalFlags.FLAGS.forEach((name, text) -> out.append(String.format("   --%-24s %s [$MICRO_%s]%n", name + " value",
				text, name.toUpperCase(Locale.ROOT))));
		out.append(String.format("   --%-24s %s%n", "help, -h", "show help"));
		out.append(String.format("   --%-24s %s%n", "version, -v", "print the version"));
		return out.toString();
	}

	private static final String OUTPUT = "   --output value, -o value   Set the output format: text (default) or json";

	/** The help of one command, or null when there is no such command. */
	static String command(String name) {
		return switch (name) {
		case "server" -> "micro server [global flags] [--nointeractive]\n\n"
				+ "Starts the container (bin/micro sets micro.home). Global flags may come before or after 'server'.\n"
				+ "The Gogo shell reads the terminal unless --nointeractive is given or stdin is not a terminal.";
		case "api" -> ApiCommand.usage();
		case "run" -> "usage: " + Commands.USAGE_RUN + "\n\nCalls Runtime.Run of the go.micro.runtime service that "
				+ "'micro server' registers, so the server is found through the registry like any service.\n"
				+ "A folder with a pom.xml is built first (mvn package, or $MICRO_MAVEN; the output in target/micro-build.log).";
		case "new" -> micro.template.NewCommand.USAGE.stripTrailing();
		case "kill" -> "usage: " + Commands.USAGE_KILL;
		case "status" -> "usage: " + Commands.USAGE_STATUS + "\n\n" + OUTPUT;
		case "plugin" -> "usage: " + Commands.USAGE_PLUGIN + "\n\n"
				+ "   list      the plugins (registry, broker, transport services and plugin bundles), * the selected ones\n"
				+ "   install   a bundle jar, a folder with one (or with target/), or Maven coordinates group:artifact:version\n"
				+ "             found in the local Maven repository (~/.m2/repository, or -Dmaven.repo.local)\n"
				+ "   remove    by plugin name (e.g. mdns) or bundle symbolic name\n\n" + OUTPUT;
		case "call" -> "usage: " + Commands.USAGE_CALL + "\n\n"
				+ "   --address value   Set the address of the service instance to call [$MICRO_ADDRESS]\n"
				+ "   --output value, -o value   Set the output format; e.g json (default), raw\n"
				+ "   --metadata value  A list of key-value pairs to be forwarded as metadata (repeatable)";
		case "stream" -> "usage: " + Commands.USAGE_STREAM + "\n\n"
				+ "Opens a stream, sends the request and prints every message until the service ends the stream.\n\n"
				+ "   --address value   Set the address of the service instance to call [$MICRO_ADDRESS]\n"
				+ "   --output value, -o value   Set the output format; e.g json (default), raw\n"
				+ "   --metadata value  A list of key-value pairs to be forwarded as metadata (repeatable)";
		case "publish" -> "usage: " + Commands.USAGE_PUBLISH + "\n\n"
				+ "Publishes the JSON message (content type application/json) through the configured broker; prints ok.\n\n"
				+ "   --metadata value  A list of key-value pairs to be sent as message headers (repeatable)";
		case "health" -> "usage: " + Commands.USAGE_HEALTH + "\n\n"
				+ "With a service: calls Debug.Health on each of its nodes; exit code 1 when one is not healthy.\n"
				+ "Without: serves GET /health (200 OK or 500 NOT_HEALTHY) until stopped.\n\n"
				+ "   --address value        Address the health sidecar listens on (default: 127.0.0.1:8088; Go: :8088)\n"
				+ "   --check_service value  Name of the service to check\n"
				+ "   --check_address value  Address of the node to check (default: any node from the registry)\n\n" + OUTPUT;
		case "stats" -> "usage: " + Commands.USAGE_STATS + "\n\nCalls Debug.Stats on each node of the service.\n\n" + OUTPUT;
		case "list" -> "usage: " + Commands.USAGE_LIST + "\n\n" + OUTPUT;
		case "get" -> "usage: " + Commands.USAGE_GET + "\n\n" + OUTPUT;
		case "register" -> "usage: " + Commands.USAGE_REGISTER + "\n\nThe JSON is go-micro's registry.Service:"
				+ " {\"name\": …, \"version\": …, \"nodes\": [{\"id\": …, \"address\": \"host:port\"}], \"endpoints\": […]}";
		case "deregister" -> "usage: " + Commands.USAGE_DEREGISTER;
		case "cli" -> "usage: micro cli\n\nThe interactive shell: prompt 'micro> ', history, line editing, tab completion of"
				+ " commands, services and endpoints; quit or exit to leave.";
		case "completion" -> "usage: micro completion bash|zsh\n\n   bash: source <(micro completion bash)\n"
				+ "   zsh:  source <(micro completion zsh)";
		case "help", "h" -> "usage: micro help [command]";
		default -> null;
		};
	}
}
