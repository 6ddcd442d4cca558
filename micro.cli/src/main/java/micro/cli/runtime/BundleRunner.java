package micro.cli.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

import micro.cli.RuntimeAccess;
import micro.config.MicroConfig;
import micro.errors.MicroError;
import micro.server.HandlerProperties;

/**
 * Installs, updates, starts, uninstalls and lists bundles in the running container for {@code micro run}, {@code micro
 * kill} and {@code micro status}. A bundle that does not start is reported with what it misses (a bundle left
 * INSTALLED without a word is the classic OSGi trap), and so is a Declarative Services component that is not
 * satisfied.
 */
public final class BundleRunner implements RuntimeAccess {
	/** The error id of the runtime's errors, as the micro service's name. */
	public static final String SERVICE = "go.micro.runtime";
	private static final long REFRESH_TIMEOUT_SECONDS = 30;

	private final BundleContext context;
	private final ServiceComponentRuntime components;

	/**
	 * @param components Declarative Services' introspection, to report unsatisfied components; may be null
	 */
	public BundleRunner(BundleContext context, ServiceComponentRuntime components) {
		this.context = context;
		this.components = components;
	}

	/** Installs the bundle at the path, or updates the installed bundle of the same symbolic name, and starts it. */
	@Override
	public RunResponse run(String path) {
		Path jar = bundleJar(path);
		String symbolicName = symbolicName(jar);
		Bundle bundle = installed(symbolicName);
		boolean updated = bundle != null;
		try (InputStream in = Files.newInputStream(jar)) {
			if (updated) {
				// stopped first, so that it starts once, on the refreshed wiring (update alone restarts it on the old
				// wiring, which the refresh then tears down under the services it has just registered)
				bundle.stop();
				bundle.update(in);
				refresh(bundle);
			} else {
				bundle = context.installBundle(jar.toUri().toString(), in);
			}
		} catch (IOException | BundleException e) {
			throw MicroError.internalServerError(SERVICE, "cannot install " + jar + ": " + e.getMessage());
		}
		String error = "";
		try {
			if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
				awaitStartLevel(bundle);
				bundle.start();
			}
		} catch (BundleException | IllegalStateException e) {
			error = e.getMessage() == null ? e.toString() : e.getMessage();
		}
		return new RunResponse(bundle.getBundleId(), bundle.getSymbolicName(), String.valueOf(bundle.getVersion()),
				state(bundle), updated, microServices(bundle), unresolved(bundle), componentProblems(bundle), error);
	}

	/** Uninstalls the bundle of that symbolic name, or else every bundle that provides that micro service. */
	@Override
	public KillResponse kill(String name) {
		if (name == null || name.isBlank()) {
			throw MicroError.badRequest(SERVICE, "kill needs the symbolic name of a bundle or the name of a service");
		}
		List<Bundle> targets = bundlesNamed(name, b -> microServices(b).contains(name));
		if (targets.isEmpty()) {
			throw MicroError.notFound(SERVICE, "no bundle or service named " + name + " is running");
		}
		for (Bundle b : targets) {
			if (b.getBundleId() == 0 || b.equals(context.getBundle())) {
				throw MicroError.badRequest(SERVICE, b.getSymbolicName() + " is the runtime itself and cannot be killed");
			}
		}
		return uninstall(targets);
	}

	/** The bundle of that symbolic name; else every bundle that provides what the name names. */
	private List<Bundle> bundlesNamed(String name, Predicate<Bundle> provides) {
		Bundle byName = installed(name);
		if (byName != null) {
			return List.of(byName);
		}
		List<Bundle> found = new ArrayList<>();
		for (Bundle b : context.getBundles()) {
			if (provides.test(b)) {
				found.add(b);
			}
		}
		return found;
	}

	private KillResponse uninstall(List<Bundle> targets) {
		List<BundleStatus> killed = new ArrayList<>();
		for (Bundle b : targets) {
			BundleStatus status = status(b);
			try {
				b.uninstall();
			} catch (BundleException e) {
				throw MicroError.internalServerError(SERVICE, "cannot uninstall " + b.getSymbolicName() + ": " + e.getMessage());
			}
			killed.add(new BundleStatus(status.id(), status.name(), status.version(), "UNINSTALLED", status.services()));
		}
		return new KillResponse(killed);
	}

	/** Every bundle, by id. */
	@Override
	public ListResponse list() {
		List<BundleStatus> all = new ArrayList<>();
		for (Bundle b : context.getBundles()) {
			all.add(status(b));
		}
		all.sort(Comparator.comparingLong(BundleStatus::id));
		return new ListResponse(all);
	}

	/** The service properties that name a plugin, by kind. */
	static final Map<String, String> PLUGIN_PROPERTIES = pluginProperties();
	/** What the runtime uses when the {@code micro} configuration names nothing. */
	private static final Map<String, String> DEFAULT_SELECTION = Map.of("registry", "mdns", "broker", "http",
			"transport", "http");

	private static Map<String, String> pluginProperties() {
		Map<String, String> m = new LinkedHashMap<>();
		m.put("registry", "micro.registry");
		m.put("broker", "micro.broker");
		m.put("transport", "micro.transport");
		m.put("api handler", "micro.api.handler");
		return m;
	}

	/**
	 * Every plugin service (a Registry, Broker, Transport or API handler registered with its name property) with its
	 * bundle, and every plugin bundle ({@code micro.registry.*}, {@code micro.broker.*}, {@code micro.transport.*})
	 * that registers none, for instance because it did not resolve.
	 */
	@Override
	public PluginsResponse plugins() {
		Map<String, String> selection = selection();
		List<PluginStatus> plugins = new ArrayList<>();
		for (Bundle b : context.getBundles()) {
			boolean any = false;
			for (String[] kindAndName : pluginServices(b)) {
				any = true;
				String kind = kindAndName[0];
				String name = kindAndName[1];
				plugins.add(new PluginStatus(kind, name, b.getBundleId(), b.getSymbolicName(),
						String.valueOf(b.getVersion()), state(b), name.equals(selection.get(kind))));
			}
			String bsn = b.getSymbolicName();
			if (!any && bsn != null && pluginKindOf(bsn) != null) {
				plugins.add(new PluginStatus(pluginKindOf(bsn), bsn.substring(bsn.lastIndexOf('.') + 1), b.getBundleId(),
						bsn, String.valueOf(b.getVersion()), state(b), false));
			}
		}
		plugins.sort(Comparator.comparing(PluginStatus::kind).thenComparing(PluginStatus::name)
				.thenComparingLong(PluginStatus::bundleId));
		return new PluginsResponse(plugins);
	}

	/** Uninstalls the bundle of that symbolic name, or the bundles that provide a plugin of that name. */
	@Override
	public KillResponse removePlugin(String name) {
		if (name == null || name.isBlank()) {
			throw MicroError.badRequest(SERVICE, "plugin remove needs a plugin's name or its bundle's symbolic name");
		}
		List<Bundle> targets = bundlesNamed(name, b -> pluginServices(b).stream().anyMatch(kn -> kn[1].equals(name)));
		if (targets.isEmpty()) {
			throw MicroError.notFound(SERVICE, "no plugin named " + name + " is installed (see: micro plugin list)");
		}
		for (Bundle b : targets) {
			if (b.getBundleId() == 0 || b.equals(context.getBundle()) || "micro.core".equals(b.getSymbolicName())) {
				throw MicroError.badRequest(SERVICE, name + " is built into " + b.getSymbolicName()
						+ " and cannot be removed; select another plugin in the micro configuration instead");
			}
		}
		return uninstall(targets);
	}

	/** The {kind, name} pairs of the plugin services a bundle registers. */
	private static List<String[]> pluginServices(Bundle b) {
		List<String[]> found = new ArrayList<>();
		ServiceReference<?>[] refs = b.getState() == Bundle.UNINSTALLED ? null : b.getRegisteredServices();
		if (refs != null) {
			for (ServiceReference<?> r : refs) {
				PLUGIN_PROPERTIES.forEach((kind, property) -> {
					Object name = r.getProperty(property);
					if (name != null) {
						found.add(new String[] { kind, String.valueOf(name) });
					}
				});
			}
		}
		return found;
	}

	/** The plugin kind a bundle's symbolic name suggests ({@code micro.registry.etcd} → registry), or null. */
	static String pluginKindOf(String symbolicName) {
		for (String kind : List.of("registry", "broker", "transport")) {
			if (symbolicName.startsWith("micro." + kind + ".")) {
				return kind;
			}
		}
		return null;
	}

	/** The registry, broker and transport the {@code micro} configuration selects (defaults when it has none). */
	private Map<String, String> selection() {
		Map<String, String> selected = new LinkedHashMap<>(DEFAULT_SELECTION);
		ServiceReference<ConfigurationAdmin> ref = context.getServiceReference(ConfigurationAdmin.class);
		if (ref == null) {
			return selected;
		}
		ConfigurationAdmin admin = context.getService(ref);
		try {
			Configuration[] configurations = admin == null ? null
					: admin.listConfigurations("(service.pid=" + MicroConfig.PID + ")");
			Dictionary<String, Object> p = configurations == null ? null : configurations[0].getProperties();
			if (p != null) {
				for (String kind : DEFAULT_SELECTION.keySet()) {
					Object value = p.get(kind);
					if (value != null && !String.valueOf(value).isBlank()) {
						selected.put(kind, String.valueOf(value).trim());
					}
				}
			}
		} catch (IOException | InvalidSyntaxException e) {
			// no readable configuration: the defaults are what the runtime uses
		} finally {
			context.ungetService(ref);
		}
		return selected;
	}

	/** The jar to install: the path itself, or the one bundle jar in {@code <folder>/target} or {@code <folder>}. */
	static Path bundleJar(String path) {
		if (path == null || path.isBlank()) {
			throw MicroError.badRequest(SERVICE, "run needs the path of a bundle jar or of a folder with one");
		}
		Path p = Path.of(path);
		if (!p.isAbsolute()) {
			throw MicroError.badRequest(SERVICE, "the path must be absolute: " + path);
		}
		if (Files.isRegularFile(p)) {
			return p;
		}
		if (!Files.isDirectory(p)) {
			throw MicroError.badRequest(SERVICE, "no such file or folder: " + path);
		}
		for (Path folder : List.of(p.resolve("target"), p)) {
			List<Path> bundles = bundleJarsIn(folder);
			if (bundles.size() == 1) {
				return bundles.get(0);
			}
			if (bundles.size() > 1) {
				throw MicroError.badRequest(SERVICE, "more than one bundle jar in " + folder + ": " + bundles
						+ "; run one of them by its path");
			}
		}
		throw MicroError.badRequest(SERVICE, "no bundle jar in " + p + " or " + p.resolve("target")
				+ " (a jar whose manifest has a Bundle-SymbolicName; build it first)");
	}

	private static List<Path> bundleJarsIn(Path folder) {
		if (!Files.isDirectory(folder)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(folder)) {
			return files.filter(f -> {
				String n = f.getFileName().toString();
				return n.endsWith(".jar") && !n.endsWith("-sources.jar") && !n.endsWith("-javadoc.jar")
						&& !n.endsWith("-tests.jar") && Files.isRegularFile(f) && readSymbolicName(f) != null;
			}).sorted().toList();
		} catch (IOException e) {
			throw MicroError.internalServerError(SERVICE, "cannot list " + folder + ": " + e.getMessage());
		}
	}

	private static String symbolicName(Path jar) {
		String name = readSymbolicName(jar);
		if (name == null) {
			throw MicroError.badRequest(SERVICE, jar + " is not an OSGi bundle (no Bundle-SymbolicName in its manifest)");
		}
		return name;
	}

	/** The symbolic name in a jar's manifest without its directives, or null when it has none or is no jar. */
	static String readSymbolicName(Path jar) {
		try (JarFile f = new JarFile(jar.toFile())) {
			Manifest m = f.getManifest();
			String bsn = m == null ? null : m.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
			return bsn == null ? null : bsn.split(";")[0].trim();
		} catch (IOException notAJar) {
			return null;
		}
	}

	private Bundle installed(String symbolicName) {
		for (Bundle b : context.getBundles()) {
			if (symbolicName.equals(b.getSymbolicName())) {
				return b;
			}
		}
		return null;
	}

	/**
	 * While the container is still starting (system bundle STARTING, start levels still rising), {@code start()} only
	 * marks the bundle and it would be reported INSTALLED. Waits (bounded) for the framework to be up.
	 */
	private void awaitStartLevel(Bundle bundle) {
		Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
		FrameworkStartLevel framework = system.adapt(FrameworkStartLevel.class);
		BundleStartLevel own = bundle.adapt(BundleStartLevel.class);
		if (framework == null || own == null) {
			return;
		}
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(REFRESH_TIMEOUT_SECONDS);
		while ((system.getState() != Bundle.ACTIVE || framework.getStartLevel() < own.getStartLevel())
				&& System.nanoTime() < end) {
			try {
				Thread.sleep(50);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/** After an update the old revision's wires are replaced; waits for the framework to finish. */
	private void refresh(Bundle bundle) {
		FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
		CountDownLatch done = new CountDownLatch(1);
		wiring.refreshBundles(List.of(bundle), event -> done.countDown());
		try {
			done.await(REFRESH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	/** Mandatory requirements of an unresolved bundle that no installed bundle can satisfy. */
	private List<String> unresolved(Bundle bundle) {
		if (bundle.getState() != Bundle.INSTALLED) {
			return List.of();
		}
		BundleRevision revision = bundle.adapt(BundleRevision.class);
		FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
		List<String> missing = new ArrayList<>();
		if (revision == null) {
			return missing;
		}
		for (Requirement r : revision.getRequirements(null)) {
			boolean optional = Namespace.RESOLUTION_OPTIONAL.equals(r.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE));
			if (!optional && wiring.findProviders(r).isEmpty()) {
				String filter = r.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
				missing.add(r.getNamespace() + "; " + (filter == null ? "" : filter));
			}
		}
		return missing;
	}

	/** Components of the bundle that are enabled but cannot work: unsatisfied references, failed activation. */
	private List<String> componentProblems(Bundle bundle) {
		if (components == null || bundle.getState() != Bundle.ACTIVE) {
			return List.of();
		}
		List<String> problems = new ArrayList<>();
		for (ComponentDescriptionDTO d : components.getComponentDescriptionDTOs(bundle)) {
			if (!components.isComponentEnabled(d)) {
				continue;
			}
			for (ComponentConfigurationDTO c : components.getComponentConfigurationDTOs(d)) {
				if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
					for (UnsatisfiedReferenceDTO r : c.unsatisfiedReferences) {
						problems.add("component " + d.name + " waits for a service: " + r.name
								+ (r.target == null ? "" : " " + r.target));
					}
				} else if (c.state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION) {
					problems.add("component " + d.name + " waits for its configuration " + String.join(",", d.configurationPid));
				} else if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
					problems.add("component " + d.name + " failed to activate: " + c.failure);
				}
			}
		}
		return problems;
	}

	private BundleStatus status(Bundle b) {
		return new BundleStatus(b.getBundleId(), b.getSymbolicName(), String.valueOf(b.getVersion()), state(b),
				microServices(b));
	}

	/** The micro service names of the handlers and subscribers a bundle registers on the whiteboard. */
	static List<String> microServices(Bundle bundle) {
		TreeSet<String> names = new TreeSet<>();
		ServiceReference<?>[] refs = bundle.getState() == Bundle.UNINSTALLED ? null : bundle.getRegisteredServices();
		if (refs != null) {
			for (ServiceReference<?> r : refs) {
				Object name = r.getProperty(HandlerProperties.SERVICE);
				if (name != null) {
					names.add(String.valueOf(name));
				}
			}
		}
		return new ArrayList<>(names);
	}

	static String state(Bundle b) {
		return switch (b.getState()) {
		case Bundle.UNINSTALLED -> "UNINSTALLED";
		case Bundle.INSTALLED -> "INSTALLED";
		case Bundle.RESOLVED -> "RESOLVED";
		case Bundle.STARTING -> "STARTING";
		case Bundle.STOPPING -> "STOPPING";
		default -> "ACTIVE";
		};
	}
}
