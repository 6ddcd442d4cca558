package micro.example;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;

import micro.config.MicroConfig;
import micro.example.handler.Example;
import micro.example.subscriber.MessageLog;
import micro.runtime.Micro;
import micro.server.Server;
import micro.server.ServerOptions;

/**
 * Runs {@code go.micro.srv.example} outside a container, on the plain-Java runtime facade (main.go of the Go
 * template). Configuration: the {@code MICRO_*} environment variables, then {@code --<key>=<value>} flags with the Go
 * flag names ({@code --registry=memory}, {@code --server_address=127.0.0.1:9090}, …). It runs until the JVM is
 * stopped (Ctrl-C), then deregisters.
 */
public final class Main {
	private Main() {
	}

	public static void main(String[] args) throws Exception {
		MicroConfig config;
		Micro micro;
		try {
			config = config(args, System.getenv());
			if (config == null) {
				usage(System.out);
				return;
			}
			micro = Micro.builder().config(config).build();
		} catch (IllegalArgumentException e) {
			// a bad flag, or a registry, broker or transport this plain classpath does not have
			System.err.println(e.getMessage());
			usage(System.err);
			System.exit(2);
			return;
		}
		Server server;
		try {
			server = serve(micro, new MessageLog());
		} catch (IOException | RuntimeException e) {
			micro.close();
			throw e;
		}
		System.out.println("Starting [service] " + ExampleService.NAME);
		System.out.println("Server [mucp] Listening on " + server.address());
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			server.stop();
			micro.close();
			stopped.countDown();
		}, "example-shutdown"));
		stopped.await();
	}

	/**
	 * Starts the service on a runtime: the {@link Example} handler, and the subscriber on the topic
	 * {@value ExampleService#NAME}, which keeps what it receives in {@code log}. The service is named
	 * {@value ExampleService#NAME} unless the configuration's {@code server_name} says otherwise.
	 */
	public static Server serve(Micro micro, MessageLog log) throws IOException {
		// as go-micro's Init(), the server_name and server_version flags override the names in the code
		String name = micro.config().get(MicroConfig.SERVER_NAME, ExampleService.NAME);
		String version = micro.config().get(MicroConfig.SERVER_VERSION, "latest");
		Server server = micro.newServer(ServerOptions.named(name).withVersion(version));
		server.handle(new Example());
		server.subscribe(ExampleService.NAME, new micro.example.subscriber.Example(log), null);
		server.start();
		return server;
	}

	/**
	 * The configuration from the environment and the flags (the flags win); null when help was asked for.
	 *
	 * @throws IllegalArgumentException for an argument that is not a known {@code --key=value} flag
	 */
	static MicroConfig config(String[] args, Map<String, String> env) {
		Map<String, String> values = new TreeMap<>(MicroConfig.fromEnvironment(env));
		Set<String> known = flagNames();
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			if (arg.equals("--help") || arg.equals("-h")) {
				return null;
			}
			if (!arg.startsWith("--") || arg.length() == 2) {
				throw new IllegalArgumentException("unexpected argument \"" + arg + "\"");
			}
			int eq = arg.indexOf('=');
			String key = (eq < 0 ? arg.substring(2) : arg.substring(2, eq)).replace('-', '_');
			if (!known.contains(key)) {
				throw new IllegalArgumentException("unknown flag --" + key);
			}
			String value;
			if (eq >= 0) {
				value = arg.substring(eq + 1);
			} else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
				value = args[++i];
			} else {
				throw new IllegalArgumentException("flag --" + key + " needs a value");
			}
			values.put(key, value);
		}
		return MicroConfig.of(values);
	}

	/** The configuration keys of {@link MicroConfig}, which are the Go flag names. */
	static Set<String> flagNames() {
		Set<String> names = new TreeSet<>();
		for (Field field : MicroConfig.class.getFields()) {
			if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
					&& !field.getName().equals("PID")) {
				try {
					names.add((String) field.get(null));
				} catch (IllegalAccessException e) {
					throw new IllegalStateException(e);
				}
			}
		}
		return names;
	}

	private static void usage(PrintStream out) {
		out.println("usage: java micro.example.Main [--<flag>=<value>]...");
		out.println("Runs " + ExampleService.NAME + ". Flags (also MICRO_<FLAG> environment variables):");
		out.println("  " + String.join(", ", flagNames()));
		out.println("On the plain classpath only --registry=memory (this process alone) is built in; in the OSGi");
		out.println("container the bundle's DS components are served with the container's registry.");
	}
}
