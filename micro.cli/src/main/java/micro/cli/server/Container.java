package micro.cli.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;

import micro.config.MicroConfig;

/**
 * {@code micro server}: starts the OSGi framework (Felix, found through {@link FrameworkFactory}) with the properties of
 * {@code conf/config.properties}, installs and starts the bundles of the auto-deploy folder ({@code bundle/}), and runs
 * until the framework stops (Gogo's {@code stop 0} or {@code exit}) or the process is told to stop (SIGTERM, Ctrl-C),
 * which stops the framework cleanly.
 * <p>
 * Start levels: {@code micro.startlevel.<symbolic name>} in the configuration, else 3 for {@code micro.*} bundles and 1
 * for the others. The distribution starts micro.cli (which writes the configuration) at 2, before the runtime, so the
 * runtime starts configured, and the Gogo shell last. Every bundle that does not start is reported with its missing
 * requirements.
 */
public final class Container {
	public static final String CONFIG_FILE = "config.properties";
	static final String AUTO_DEPLOY_DIR = "felix.auto.deploy.dir";
	static final String AUTO_DEPLOY_ACTION = "felix.auto.deploy.action";
	static final String START_LEVEL_PREFIX = "micro.startlevel.";
	static final int SERVICE_LEVEL = 3;
	private static final long STOP_TIMEOUT_MILLIS = 20_000;

	private final Path home;
	private final PrintStream err;

	public Container(Path home, PrintStream err) {
		this.home = home;
		this.err = err;
	}

	/**
	 * Runs the container until it stops.
	 *
	 * @param flags       the global flags given to {@code micro server}, for the configuration
	 * @param interactive whether the Gogo shell reads the terminal
	 * @return the process exit code
	 */
	public int run(Map<String, String> flags, boolean interactive) throws IOException, BundleException, InterruptedException {
		Running running = start(flags, interactive);
		FrameworkEvent end = running.framework().waitForStop(0);
		running.release();
		return end.getType() == FrameworkEvent.ERROR ? 1 : 0;
	}

	/**
	 * A started container: its framework, and the bundle cache folder it owns (null when the configuration names one).
	 * {@link #stop()} stops it; SIGTERM or Ctrl-C do the same through a shutdown hook.
	 */
	public record Running(Framework framework, Path ownStorage, Thread stopper) {
		/** Stops the framework, waits for it, and deletes the bundle cache. */
		public void stop() {
			Container.stop(framework);
			release();
		}

		void release() {
			try {
				Runtime.getRuntime().removeShutdownHook(stopper);
			} catch (IllegalStateException alreadyStopping) {
				// the hook is running: it stopped the framework
			}
			deleteTree(ownStorage);
		}
	}

	/**
	 * Starts the container and returns once every start level is reached (the bundles of {@code bundle/} started).
	 *
	 * @param flags       the global flags given to {@code micro server}, for the configuration
	 * @param interactive whether the Gogo shell reads the terminal
	 */
	public Running start(Map<String, String> flags, boolean interactive)
			throws IOException, BundleException, InterruptedException {
		return start(flags, interactive, Map.of());
	}

	/** {@link #start(Map, boolean)} with framework properties that replace those of the configuration file. */
	Running start(Map<String, String> flags, boolean interactive, Map<String, String> overrides)
			throws IOException, BundleException, InterruptedException {
		long started = System.nanoTime();
		Map<String, String> properties = frameworkProperties(home, flags, interactive);
		properties.putAll(overrides);
		// a bundle cache of its own, deleted at the end, unless the configuration names one
		Path storage = null;
		if (!properties.containsKey(Constants.FRAMEWORK_STORAGE)) {
			storage = Files.createTempDirectory("micro-server-");
			properties.put(Constants.FRAMEWORK_STORAGE, storage.toString());
		}
		Path ownStorage = storage;

		FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, Container.class.getClassLoader())
				.findFirst().orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path (lib/)"));
		Framework framework = factory.newFramework(properties);
		framework.init();
		// on SIGTERM the JVM exits once the hooks are done, so the hook cleans up too
		Thread stopper = new Thread(() -> {
			stop(framework);
			deleteTree(ownStorage);
		}, "micro-server-stop");
		Runtime.getRuntime().addShutdownHook(stopper);

		List<Bundle> installed = autoDeploy(framework.getBundleContext(), properties);
		framework.start();
		awaitStartLevel(framework);
		reportNotStarted(framework.getBundleContext(), installed);
		err.printf("micro server: %d bundles started in %d ms (registry %s); stop it with Ctrl-C or SIGTERM%n",
				installed.size(), (System.nanoTime() - started) / 1_000_000, effective(flags).get(MicroConfig.REGISTRY));
		return new Running(framework, ownStorage, stopper);
	}

	/** The configuration the container gets, as {@link ConfigSeeder} computes it. */
	private MicroConfig effective(Map<String, String> flags) {
		return MicroConfig.of(ServerConfig.merge(ServerConfig.readFile(home.resolve("conf").resolve(ServerConfig.CONFIG_FILE)),
				MicroConfig.fromEnvironment(System.getenv()), flags));
	}

	/** Stops the framework and waits for it, when the JVM is told to exit. */
	private static void stop(Framework framework) {
		try {
			if (framework.getState() == Bundle.ACTIVE || framework.getState() == Bundle.STARTING) {
				framework.stop();
			}
			framework.waitForStop(STOP_TIMEOUT_MILLIS);
		} catch (BundleException | InterruptedException e) {
			// the JVM is exiting anyway
		}
	}

	/** {@code conf/config.properties} with {@code ${…}} replaced, and what the container needs on top. */
	static Map<String, String> frameworkProperties(Path home, Map<String, String> flags, boolean interactive)
			throws IOException {
		Properties file = new Properties();
		Path config = home.resolve("conf").resolve(CONFIG_FILE);
		if (Files.isRegularFile(config)) {
			try (InputStream in = Files.newInputStream(config)) {
				file.load(in);
			}
		}
		Map<String, String> lookup = new HashMap<>();
		System.getProperties().stringPropertyNames().forEach(k -> lookup.put(k, System.getProperty(k)));
		lookup.put(ServerConfig.HOME_PROPERTY, home.toString());
		Map<String, String> properties = new HashMap<>();
		for (String key : file.stringPropertyNames()) {
			properties.put(key, substitute(file.getProperty(key), file, lookup, 0));
		}
		properties.put(ServerConfig.HOME_PROPERTY, home.toString());
		properties.put(ServerConfig.FLAGS_PROPERTY, ServerConfig.encode(flags));
		if (!interactive) {
			// the shell must not read stdin (tests, nohup, services); the framework then runs until stopped
			properties.put("gosh.args", "--nointeractive");
		}
		return properties;
	}

	private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

	static String substitute(String value, Properties file, Map<String, String> lookup, int depth) {
		if (depth > 10) {
			throw new IllegalArgumentException("recursive variable in " + value);
		}
		Matcher m = VARIABLE.matcher(value);
		StringBuilder out = new StringBuilder();
		while (m.find()) {
			String name = m.group(1);
			String v = file.getProperty(name) != null ? substitute(file.getProperty(name), file, lookup, depth + 1)
					: lookup.getOrDefault(name, "");
			m.appendReplacement(out, Matcher.quoteReplacement(v));
		}
		m.appendTail(out);
		return out.toString();
	}

	/** Installs every jar of the auto-deploy folder in name order and marks the bundles to start. */
	private List<Bundle> autoDeploy(BundleContext context, Map<String, String> properties) throws IOException {
		String dir = properties.get(AUTO_DEPLOY_DIR);
		String action = properties.getOrDefault(AUTO_DEPLOY_ACTION, "install,start");
		List<Bundle> bundles = new ArrayList<>();
		if (dir == null || dir.isBlank()) {
			return bundles;
		}
		Path folder = home.resolve(dir);
		List<Path> jars;
		try (Stream<Path> files = Files.list(folder)) {
			jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
		}
		boolean start = action.contains("start");
		for (Path jar : jars) {
			try {
				// reference: Felix reads the jar where it is instead of copying it into the bundle cache first
				Bundle b = context.installBundle("reference:" + jar.toUri());
				b.adapt(BundleStartLevel.class).setStartLevel(startLevel(b.getSymbolicName(), properties));
				if (start && b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
					b.start();
				}
				bundles.add(b);
			} catch (BundleException e) {
				err.println("micro server: cannot install " + jar.getFileName() + ": " + e.getMessage());
			}
		}
		return bundles;
	}

	static int startLevel(String symbolicName, Map<String, String> properties) {
		String configured = properties.get(START_LEVEL_PREFIX + symbolicName);
		if (configured != null) {
			try {
				return Integer.parseInt(configured.trim());
			} catch (NumberFormatException e) {
				throw new IllegalArgumentException("invalid " + START_LEVEL_PREFIX + symbolicName + ": " + configured);
			}
		}
		return symbolicName != null && symbolicName.startsWith("micro.") ? SERVICE_LEVEL : 1;
	}

	/** {@code framework.start()} returns before the start levels are reached; waits for them. */
	private static void awaitStartLevel(Framework framework) throws InterruptedException {
		org.osgi.framework.startlevel.FrameworkStartLevel levels = framework
				.adapt(org.osgi.framework.startlevel.FrameworkStartLevel.class);
		int target = Integer.parseInt(framework.getBundleContext().getProperty(Constants.FRAMEWORK_BEGINNING_STARTLEVEL) == null
				? "1" : framework.getBundleContext().getProperty(Constants.FRAMEWORK_BEGINNING_STARTLEVEL));
		long deadline = System.currentTimeMillis() + 30_000;
		while (levels.getStartLevel() < target && System.currentTimeMillis() < deadline) {
			Thread.sleep(10);
		}
	}

	/** The classic trap is a bundle left INSTALLED without a word: say which and why. */
	private void reportNotStarted(BundleContext context, List<Bundle> bundles) {
		FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
		for (Bundle b : bundles) {
			boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
			if (fragment || b.getState() == Bundle.ACTIVE) {
				continue;
			}
			err.println("micro server: bundle " + b.getSymbolicName() + " " + b.getVersion() + " did not start");
			BundleRevision revision = b.adapt(BundleRevision.class);
			if (revision == null) {
				continue;
			}
			for (Requirement r : revision.getRequirements(null)) {
				boolean optional = Namespace.RESOLUTION_OPTIONAL
						.equals(r.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE));
				if (!optional && wiring.findProviders(r).isEmpty()) {
					err.println("  missing requirement " + r.getNamespace() + "; "
							+ r.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE));
				}
			}
		}
	}

	static void deleteTree(Path root) {
		if (root == null || !Files.exists(root)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(root)) {
			paths.sorted(Comparator.reverseOrder()).forEach(p -> {
				try {
					Files.deleteIfExists(p);
				} catch (IOException e) {
					throw new UncheckedIOException(e);
				}
			});
		} catch (IOException | UncheckedIOException e) {
			// a leftover temporary folder is harmless
		}
	}
}
