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
		c.put("run", "Install (or update) and start a bundle in the running server");
		c.put("kill", "Uninstall a bundle from the running server, by symbolic name or service name");
		c.put("status", "List the bundles of the running server");
		c.put("call", "Call a service e.g micro call greeter Say.Hello '{\"name\": \"john\"}'");
		c.put("list", "List items in the registry: micro list services");
		c.put("get", "Get an item from the registry: micro get service <name>");
		c.put("help, h", "Shows a list of commands or help for one command");
		return c;
	}

	static String main(String version) {
		StringBuilder out = new StringBuilder();
		out.append("NAME:\n   micro - A framework for cloud native development (micro for the JVM)\n\n");
		out.append("USAGE:\n   micro [global options] command [command options] [arguments...]\n\n");
		out.append("VERSION:\n   ").append(version).append("\n\n");
		out.append("COMMANDS:\n");
		COMMANDS.forEach((name, text) -> out.append(String.format("   %-9s %s%n", name, text)));
		out.append("\nGLOBAL OPTIONS:\n");
		GlobalFlags.FLAGS.forEach((name, text) -> out.append(String.format("   --%-24s %s [$MICRO_%s]%n", name + " value",
				text, name.toUpperCase(Locale.ROOT))));
		out.append(String.format("   --%-24s %s%n", "help, -h", "show help"));
		out.append(String.format("   --%-24s %s%n", "version, -v", "print the version"));
		return out.toString();
	}

	/** The help of one command, or null when there is no such command. */
	static String command(String name) {
		return switch (name) {
		case "server" -> "micro server [global flags] [--nointeractive]\n\n"
				+ "Starts the container (bin/micro sets micro.home). Global flags may come before or after 'server'.\n"
				+ "The Gogo shell reads the terminal unless --nointeractive is given or stdin is not a terminal.";
		case "run" -> "usage: " + Commands.USAGE_RUN + "\n\nCalls Runtime.Run of the go.micro.runtime service that "
				+ "'micro server' registers, so the server is found through the registry like any service.\n"
				+ "A folder with a pom.xml is built first (mvn package, or $MICRO_MAVEN; the output in target/micro-build.log).";
		case "new" -> micro.template.NewCommand.USAGE.stripTrailing();
		case "kill" -> "usage: " + Commands.USAGE_KILL;
		case "status" -> "usage: " + Commands.USAGE_STATUS;
		case "call" -> "usage: " + Commands.USAGE_CALL + "\n\n"
				+ "   --address value   Set the address of the service instance to call [$MICRO_ADDRESS]\n"
				+ "   --output value, -o value   Set the output format; e.g json (default), raw\n"
				+ "   --metadata value  A list of key-value pairs to be forwarded as metadata (repeatable)";
		case "list" -> "usage: " + Commands.USAGE_LIST;
		case "get" -> "usage: " + Commands.USAGE_GET;
		case "help", "h" -> "usage: micro help [command]";
		default -> null;
		};
	}
}
