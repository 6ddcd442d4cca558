package micro.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import micro.cli.server.Container;
import micro.client.Client;
import micro.config.MicroConfig;
import micro.registry.Registry;
import micro.runtime.Micro;

/**
 * The {@code micro} command line on a plain JVM: global flags (and {@code MICRO_*} variables, which flags override)
 * before the command, then {@code list}, {@code get}, {@code call}, {@code run}, {@code kill}, {@code status} or
 * {@code server}. One-shot commands open only what they use (the registry; the client and transport for a call), so
 * they start fast.
 */
public final class Main {
	/** The system property bin/micro sets to the distribution's folder. */
	public static final String HOME_PROPERTY = "micro.home";

	private Main() {
	}

	public static void main(String[] argv) {
		int code = run(List.of(argv), System.getenv(), System.out, System.err);
		// the registry's and transport's threads must not keep a one-shot command alive
		System.exit(code);
	}

	/** Runs a command line; returns the exit code. */
	public static int run(List<String> argv, Map<String, String> env, PrintStream out, PrintStream err) {
		try {
			GlobalFlags.Parsed parsed = GlobalFlags.parse(argv);
			if (parsed.version()) {
				out.println("micro version " + Version.get());
				return 0;
			}
			String command = parsed.command();
			if (parsed.help() || "help".equals(command) || "h".equals(command)) {
				return help(parsed, out);
			}
			if (command == null) {
				err.println("No command provided to micro. Please refer to 'micro --help'");
				return 1;
			}
			if (command.equals("new")) {
				// micro new makes files only: no registry, no configuration
				return new micro.template.NewCommand().run(parsed.args(), out, err);
			}
			Map<String, String> settings = new LinkedHashMap<>(fromEnvironment(env));
			if (command.equals("server")) {
				Map<String, String> flags = new LinkedHashMap<>(parsed.flags());
				List<String> rest = GlobalFlags.extract(parsed.args(), flags);
				return server(flags, rest, out, err);
			}
			settings.putAll(parsed.flags());
			MicroConfig config = MicroConfig.of(settings);
			if (command.equals("run")) {
				// a project folder is built first, then installed as any folder with a bundle in target/
				ProjectRun.buildIfProject(parsed.args(), config, env, out);
			}
			return switch (command) {
			case "list", "get", "call", "run", "kill", "status" -> oneShot(command, parsed.args(), config, env, out);
			default -> {
				err.println("No help topic for '" + command + "'. Commands: "
						+ String.join(", ", Usage.COMMANDS.keySet()) + "; see 'micro --help'");
				yield 1;
			}
			};
		} catch (CliException e) {
			err.println(e.getMessage());
			return 1;
		}
	}

	private static int help(GlobalFlags.Parsed parsed, PrintStream out) {
		if (parsed.command() != null && !parsed.command().equals("help") && !parsed.command().equals("h")) {
			String text = Usage.command(parsed.command());
			if (text == null) {
				throw new CliException("No help topic for '" + parsed.command() + "'");
			}
			out.println(text);
			return 0;
		}
		if (!parsed.args().isEmpty()) {
			String text = Usage.command(parsed.args().get(0));
			if (text == null) {
				throw new CliException("No help topic for '" + parsed.args().get(0) + "'");
			}
			out.println(text);
			return 0;
		}
		out.print(Usage.main(Version.get()));
		return 0;
	}

	/** The {@code MICRO_*} variables that are global flags, checked as the flags are. */
	static Map<String, String> fromEnvironment(Map<String, String> env) {
		Map<String, String> settings = new LinkedHashMap<>();
		MicroConfig.fromEnvironment(env).forEach((key, value) -> {
			if (GlobalFlags.FLAGS.containsKey(key) && !value.isBlank()) {
				try {
					GlobalFlags.check(key, value);
				} catch (CliException e) {
					throw new CliException(e.getMessage().replace("flag -" + key,
							"MICRO_" + key.toUpperCase(Locale.ROOT)));
				}
				settings.put(key, value);
			}
		});
		return settings;
	}

	private static int oneShot(String command, List<String> args, MicroConfig config, Map<String, String> env,
			PrintStream out) {
		Registry registry = Registries.open(config);
		List<Micro> runtimes = new ArrayList<>(1);
		Supplier<Client> client = () -> {
			if (runtimes.isEmpty()) {
				try {
					// no broker: none of these commands publishes
					runtimes.add(Micro.builder().config(config).registry(registry).withoutBroker().build());
				} catch (IllegalArgumentException e) {
					throw new CliException(e.getMessage(), e);
				}
			}
			return runtimes.get(0).client();
		};
		try {
			Commands commands = new Commands(registry, client, () -> new RemoteRuntime(registry, client.get()),
					env.get("MICRO_ADDRESS"));
			String text = switch (command) {
			case "list" -> commands.list(args);
			case "get" -> commands.get(args);
			case "call" -> commands.call(args);
			case "run" -> commands.run(args);
			case "kill" -> commands.kill(args);
			default -> commands.status(args);
			};
			out.println(text);
			return 0;
		} finally {
			runtimes.forEach(Micro::close);
			Registries.close(registry);
		}
	}

	private static int server(Map<String, String> flags, List<String> args, PrintStream out, PrintStream err) {
		// bin/micro tells whether stdin is a terminal; without it, whether there is a console
		boolean interactive = Boolean.parseBoolean(System.getProperty("micro.interactive",
				String.valueOf(System.console() != null)));
		for (String arg : args) {
			if (arg.equals("--nointeractive") || arg.equals("-nointeractive")) {
				interactive = false;
			} else {
				throw new CliException("Incorrect Usage. flag provided but not defined: " + arg + "\n"
						+ Usage.command("server"));
			}
		}
		String home = System.getProperty(HOME_PROPERTY);
		if (home == null || !Files.isDirectory(Path.of(home, "bundle"))) {
			throw new CliException("micro server runs from the distribution: start it with bin/micro server"
					+ " (the system property micro.home must name the folder with bundle/ and conf/)");
		}
		try {
			return new Container(Path.of(home).toAbsolutePath(), err).run(flags, interactive);
		} catch (Exception e) {
			throw new CliException("micro server failed: " + e.getMessage(), e);
		}
	}
}
