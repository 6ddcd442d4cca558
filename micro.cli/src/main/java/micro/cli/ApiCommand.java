package micro.cli;

import java.io.PrintStream;
import java.net.BindException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import micro.api.internal.ApiGateway;
import micro.api.internal.ApiOptions;
import micro.config.MicroConfig;
import micro.registry.Registry;
import micro.registry.RegistryException;
import micro.runtime.Micro;
import micro.server.Server;
import micro.server.ServerOptions;

/**
 * {@code micro api [flags]}: the API gateway alone, on this plain JVM, with the runtime facade on the configured
 * registry (the container runs the same gateway as a DS component of the micro.api bundle). Flags and variables are
 * Go's: {@code --handler} ({@code MICRO_API_HANDLER}), {@code --namespace}, {@code --type}, {@code --resolver},
 * {@code --address}, {@code --enable_rpc}, {@code --enable_cors}, plus this gateway's safety settings. It registers
 * as {@code go.micro.api} and, on SIGTERM or Ctrl-C, leaves the registry and lets requests in flight finish.
 */
final class ApiCommand {
	/** The flags of {@code micro api}, each stored as the configuration key {@code api_<flag>}. */
	static final Map<String, String> FLAGS = flags();

	private ApiCommand() {
	}

	private static Map<String, String> flags() {
		Map<String, String> f = new LinkedHashMap<>();
		f.put("address", "Set the api address e.g 0.0.0.0:8080 (default 127.0.0.1:8080)");
		f.put("handler", "Specify the request handler to be used for mapping HTTP requests to services; {api, event, http, meta, proxy, rpc, web} or an installed plugin (default meta)");
		f.put("namespace", "Set the namespace used by the API e.g. com.example (default go.micro)");
		f.put("type", "Set the service type used by the API e.g. api (default api)");
		f.put("resolver", "Set the hostname resolver used by the API {host, path, grpc, vpath, micro} (default micro)");
		f.put("enable_rpc", "Enable call the backend directly via /rpc");
		f.put("enable_cors", "Enable CORS, allowing the API to be called by frontend applications (default true)");
		f.put("enable_stats", "Enable the /stats page");
		f.put("enable_access_log", "Log every request to stdout in Apache's combined format (default true)");
		f.put("cors_allowed_origins", "Origins CORS allows, comma-separated; * answers any origin without credentials (default *)");
		f.put("cors_allow_credentials", "Send Access-Control-Allow-Credentials for the listed origins (default false)");
		f.put("max_body", "Largest request body, e.g. 10MiB; larger ones get 413 (default 10MiB)");
		f.put("max_timeout", "Largest Timeout header honoured, e.g. 60s (default 60s)");
		f.put("shutdown_timeout", "How long requests in flight may take to finish on shutdown (default 10s)");
		return java.util.Collections.unmodifiableMap(f);
	}

	static String usage() {
		StringBuilder b = new StringBuilder("micro [global flags] api [flags]\n\nRun the api gateway\n\nOPTIONS:\n");
		FLAGS.forEach((name, text) -> b.append(String.format("   --%-24s %s [$MICRO_%s]%n", name + " value", text,
				key(name).toUpperCase(Locale.ROOT))));
		return b.toString().stripTrailing();
	}

	/** {@code handler} → {@code api_handler}; {@code enable_stats} is the global flag's key. */
	static String key(String flag) {
		return flag.equals("enable_stats") ? ApiOptions.ENABLE_STATS : "api_" + flag;
	}

	/**
	 * Reads the command's flags into configuration keys, over the {@code MICRO_API_*} variables.
	 *
	 * @throws CliException on an unknown flag or a flag without its value
	 */
	static Map<String, String> settings(List<String> args, Map<String, String> env) {
		Map<String, String> out = new LinkedHashMap<>();
		MicroConfig.fromEnvironment(env).forEach((k, v) -> {
			if (ApiOptions.KEYS.contains(k) && !v.isBlank()) {
				out.put(k, v);
			}
		});
		for (int i = 0; i < args.size(); i++) {
			String arg = args.get(i);
			if (!arg.startsWith("-")) {
				throw new CliException("Incorrect Usage. micro api takes no arguments: " + arg + "\n\n" + usage());
			}
			String name = arg.replaceFirst("^--?", "");
			int eq = name.indexOf('=');
			String flag = eq >= 0 ? name.substring(0, eq) : name;
			if (!FLAGS.containsKey(flag)) {
				throw new CliException("Incorrect Usage. flag provided but not defined: -" + flag + "\n\n" + usage());
			}
			String value;
			if (eq >= 0) {
				value = name.substring(eq + 1);
			} else if (flag.startsWith("enable_") && (i + 1 >= args.size() || args.get(i + 1).startsWith("-"))) {
				value = "true";
			} else if (i + 1 < args.size()) {
				value = args.get(++i);
			} else {
				throw new CliException("Incorrect Usage. flag needs an argument: -" + flag);
			}
			out.put(key(flag), value);
		}
		return out;
	}

	/** Runs until the JVM is asked to stop; returns the exit code. */
	static int run(List<String> args, Map<String, String> globals, Map<String, String> env, PrintStream out) {
		Map<String, String> all = new LinkedHashMap<>(globals);
		all.putAll(settings(args, env));
		MicroConfig config = MicroConfig.of(all);
		ApiOptions options;
		try {
			options = ApiOptions.from(config);
		} catch (IllegalArgumentException e) {
			throw new CliException(e.getMessage(), e);
		}
		Registry registry = Registries.open(config);
		Micro micro;
		try {
			micro = Micro.builder().config(config).registry(registry).build();
		} catch (IllegalArgumentException e) {
			Registries.close(registry);
			throw new CliException(e.getMessage(), e);
		}
		ApiGateway gateway = new ApiGateway(options, micro.client(), registry, micro.broker());
		CountDownLatch stopped = new CountDownLatch(1);
		try {
			gateway.start();
			Server service = micro.newServer(ServerOptions.named(options.serviceName()));
			service.start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				// leave the registry first, then finish the requests in flight
				service.stop();
				gateway.stop();
				micro.close();
				Registries.close(registry);
				stopped.countDown();
			}, "micro-api-shutdown"));
			out.println("micro api listening on " + gateway.address() + " (handler " + options.handler()
					+ ", namespace " + options.prefix() + ")");
			stopped.await();
			return 0;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return 1;
		} catch (Exception e) {
			gateway.stop();
			String hint = addressInUse(e, options, registry);
			micro.close();
			Registries.close(registry);
			throw new CliException("micro api failed: " + e.getMessage() + hint, e);
		}
	}

	/**
	 * What to do when the address is taken: usually by the gateway a running {@code micro server} starts on the same
	 * default address (as Go's does), which a new user meets by running the walkthrough's {@code micro api} next to it.
	 * Empty when the failure is something else.
	 */
	static String addressInUse(Exception failure, ApiOptions options, Registry registry) {
		Throwable t = failure;
		while (t != null && !(t instanceof BindException)) {
			t = t.getCause();
		}
		if (t == null) {
			return "";
		}
		boolean gatewayRunning;
		try {
			gatewayRunning = registry.getService(options.serviceName()).stream().anyMatch(s -> !s.nodes().isEmpty());
		} catch (RegistryException | RuntimeException e) {
			gatewayRunning = false;
		}
		String elsewhere = "give this gateway another address (--address=127.0.0.1:8081).";
		if (!gatewayRunning) {
			return "\n" + options.address() + " is in use: stop what listens there, or " + elsewhere;
		}
		String settings = "MICRO_API_HANDLER=" + options.handler() + " MICRO_API_NAMESPACE=" + options.prefix();
		return "\n" + options.address() + " is in use, and a gateway (" + options.serviceName() + ") is registered "
				+ "already: most likely the one a running `micro server` starts there. It takes the same settings: "
				+ "restart that server with them (" + settings + " micro server), or " + elsewhere;
	}
}
