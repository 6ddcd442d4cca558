package micro.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import micro.broker.internal.HttpBroker;
import micro.cli.server.Container;
import micro.client.Client;
import micro.config.MicroConfig;
import micro.registry.Endpoint;
import micro.registry.Registry;
import micro.registry.RegistryException;
import micro.registry.Service;
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
				return 2;
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
			if (parsed.args().contains("--help") || parsed.args().contains("-h")) {
				String text = Usage.command(command);
				if (text != null) {
					out.println(text);
					return 0;
				}
			}
			if (command.equals("completion")) {
				if (parsed.args().size() != 1) {
					throw new UsageException("usage: micro completion bash|zsh");
				}
				out.println(Completions.script(parsed.args().get(0)));
				return 0;
			}
			if (command.equals("api")) {
				return ApiCommand.run(parsed.args(), settings, env, out);
			}
			if (!Commands.NAMES.contains(command) && !command.equals("cli") && !command.equals(COMPLETE)) {
				err.println("No help topic for '" + command + "'. Commands: "
						+ String.join(", ", Usage.COMMANDS.keySet()) + "; see 'micro --help'");
				return 2;
			}
			MicroConfig config = MicroConfig.of(settings);
			if (command.equals("run")) {
				// a project folder is built first, then installed as any folder with a bundle in target/
				ProjectRun.buildIfProject(parsed.args(), config, env, out);
			}
			return session(command, parsed.args(), config, env, out);
		} catch (FailedWithOutput e) {
			out.println(e.output());
			err.println(e.getMessage());
			return 1;
		} catch (UsageException e) {
			err.println(e.getMessage());
			return 2;
		} catch (CliException e) {
			err.println(e.getMessage());
			return 1;
		}
	}

	/** The hidden command the completion scripts call: the candidates for the word after the given ones. */
	static final String COMPLETE = "__complete";
	/** How long {@code publish} waits for its message to leave before the process ends. */
	private static final Duration PUBLISH_FLUSH = Duration.ofSeconds(5);

	private static int help(GlobalFlags.Parsed parsed, PrintStream out) {
		if (parsed.command() != null && !parsed.command().equals("help") && !parsed.command().equals("h")) {
			String text = Usage.command(parsed.command());
			if (text == null) {
				throw new UsageException("No help topic for '" + parsed.command() + "'");
			}
			out.println(text);
			return 0;
		}
		if (!parsed.args().isEmpty()) {
			String text = Usage.command(parsed.args().get(0));
			if (text == null) {
				throw new UsageException("No help topic for '" + parsed.args().get(0) + "'");
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

	/**
	 * Runs a command with the registry (and, on first use, the client) it needs, then closes them. Only {@code publish}
	 * and the interactive shell get a broker (the HTTP broker on the same registry), which is flushed before closing.
	 */
	private static int session(String command, List<String> args, MicroConfig config, Map<String, String> env,
			PrintStream out) {
		Registry registry = Registries.open(config);
		List<Micro> runtimes = new ArrayList<>(1);
		boolean publishes = command.equals("publish") || command.equals("cli");
		Supplier<Client> client = () -> {
			if (runtimes.isEmpty()) {
				try {
					Micro.Builder builder = Micro.builder().config(config).registry(registry);
					runtimes.add((publishes ? builder : builder.withoutBroker()).build());
				} catch (IllegalArgumentException e) {
					throw new CliException(e.getMessage(), e);
				}
			}
			return runtimes.get(0).client();
		};
		try {
			Commands commands = new Commands(registry, client, () -> new RemoteRuntime(registry, client.get()),
					env.get("MICRO_ADDRESS"));
			switch (command) {
			case "cli" -> {
				return shell(commands, registry);
			}
			case COMPLETE -> {
				completions(registry, Completions.COMMANDS).candidates(args).forEach(out::println);
				return 0;
			}
			case "health" -> {
				if (Commands.healthSidecar(args)) {
					return healthSidecar(args, client);
				}
			}
			default -> {
			}
			}
			commands.execute(command, args, out::println);
			return 0;
		} finally {
			for (Micro micro : runtimes) {
				if (micro.broker() instanceof HttpBroker http) {
					try {
						http.flush(PUBLISH_FLUSH);
					} catch (InterruptedException e) {
						Thread.currentThread().interrupt();
					}
				}
				micro.close();
			}
			Registries.close(registry);
		}
	}

	/** Tab completion on the registry: service names, and the endpoints of a service's first version. */
	static Completions completions(Registry registry, List<String> commands) {
		return new Completions(() -> {
			try {
				return registry.listServices().stream().map(Service::name).toList();
			} catch (RegistryException | RuntimeException e) {
				return List.of();
			}
		}, service -> {
			try {
				List<Service> versions = Commands.lookup(registry, service);
				return versions.isEmpty() ? List.of() : versions.get(0).endpoints().stream().map(Endpoint::name).toList();
			} catch (RegistryException | RuntimeException e) {
				return List.of();
			}
		}, commands);
	}

	private static int shell(Commands commands, Registry registry) {
		// bin/micro tells whether stdin is a terminal; a pipe gets a plain line reader (no escape sequences)
		boolean terminal = Boolean.parseBoolean(System.getProperty("micro.interactive",
				String.valueOf(System.console() != null)));
		Shell shell = new Shell(commands, completions(registry, Shell.SHELL_COMMANDS));
		try {
			if (!terminal) {
				return shell.run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
						new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
			}
			try (Terminal t = TerminalBuilder.builder().system(true).build()) {
				// $HOME as the shell sees it (user.home comes from the password database)
				String home = System.getenv().getOrDefault("HOME", System.getProperty("user.home"));
				return shell.run(t, Path.of(home, ".micro_history"));
			}
		} catch (IOException e) {
			throw new CliException("cannot read the terminal: " + e.getMessage(), e);
		}
	}

	private static int healthSidecar(List<String> args, Supplier<Client> client) {
		CommandArgs a = CommandArgs.parse(args, Commands.HEALTH_FLAGS, Commands.USAGE_HEALTH);
		String service = a.get("check_service", "");
		if (service.isBlank()) {
			throw new UsageException("health check service required: micro health --check_service <name>"
					+ " [--check_address host:port] [--address 127.0.0.1:8088]");
		}
		try (HealthSidecar sidecar = new HealthSidecar(a.get("address", null), service, a.get("check_address", null),
				client)) {
			System.err.println("health check of " + service + " on http://" + sidecar.address() + "/health");
			new CountDownLatch(1).await();
			return 0;
		} catch (IOException e) {
			throw new CliException("cannot serve the health check: " + e.getMessage(), e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return 0;
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
