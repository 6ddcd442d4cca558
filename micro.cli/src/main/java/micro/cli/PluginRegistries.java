package micro.cli;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import micro.config.MicroConfig;
import micro.registry.Registry;

/**
 * Registries that come as plugin bundles (etcd), for the command line's plain JVM. The distribution unpacks such a
 * bundle into {@code lib/plugins/<name>/} (its classes and the jars it embeds); they are loaded here in a class loader
 * of their own over the command line's (which gives them the micro API), and made through the plugin's plain Java
 * constructor, {@code new <Registry>(<Options>.fromConfig(config))}. In the container the bundle is used instead.
 */
final class PluginRegistries {
	private record Plugin(String registryClass, String optionsClass) {
	}

	private PluginRegistries() {
	}

	private static Plugin plugin(String name) {
		return switch (name) {
		case "etcd" -> new Plugin("micro.registry.etcd.internal.EtcdRegistry", "micro.registry.etcd.internal.EtcdOptions");
		default -> null;
		};
	}

	static Registry open(String name, MicroConfig config) {
		Plugin plugin = plugin(name);
		String home = System.getProperty(Main.HOME_PROPERTY);
		Path folder = home == null ? null : Path.of(home, "lib", "plugins", name);
		if (plugin == null || folder == null || !Files.isDirectory(folder)) {
			throw new CliException("registry \"" + name + "\" is not installed for the command line"
					+ (folder == null ? "" : " (no " + folder + ")"));
		}
		URLClassLoader loader = new URLClassLoader("micro-registry-" + name, urls(folder),
				PluginRegistries.class.getClassLoader());
		try {
			Class<?> options = loader.loadClass(plugin.optionsClass());
			Object o = options.getMethod("fromConfig", MicroConfig.class).invoke(null, config);
			return (Registry) loader.loadClass(plugin.registryClass()).getConstructor(options).newInstance(o);
		} catch (InvocationTargetException e) {
			// a bad address or option: the plugin's own message
			Throwable cause = e.getCause() == null ? e : e.getCause();
			throw new CliException(cause.getMessage(), cause);
		} catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
			throw new CliException("registry \"" + name + "\" cannot be loaded from " + folder + ": " + e, e);
		}
	}

	private static URL[] urls(Path folder) {
		List<URL> urls = new ArrayList<>();
		try {
			urls.add(folder.toUri().toURL());
			Path lib = folder.resolve("lib");
			if (Files.isDirectory(lib)) {
				try (Stream<Path> jars = Files.list(lib)) {
					for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
						urls.add(jar.toUri().toURL());
					}
				}
			}
		} catch (MalformedURLException e) {
			throw new CliException("bad plugin path " + folder + ": " + e.getMessage(), e);
		} catch (IOException e) {
			throw new CliException("cannot read " + folder + ": " + e.getMessage(), e);
		}
		return urls.toArray(URL[]::new);
	}
}
