package micro.cli;

import micro.config.MicroConfig;
import micro.registry.Registry;
import micro.registry.internal.MemoryRegistry;
import micro.registry.mdns.internal.MdnsOptions;
import micro.registry.mdns.internal.MdnsRegistry;

/** The registry the command line uses, by the {@code registry} setting (outside OSGi there is no service to pick). */
final class Registries {
	static final String SUPPORTED = "mdns, memory, etcd";

	private Registries() {
	}

	static Registry open(MicroConfig config) {
		String name = config.get(MicroConfig.REGISTRY, "mdns");
		return switch (name) {
		case "mdns" -> new MdnsRegistry(MdnsOptions.fromConfig(config));
		case "memory" -> new MemoryRegistry();
		case "etcd" -> PluginRegistries.open(name, config);
		default -> throw new CliException("unknown registry \"" + name + "\": the command line supports " + SUPPORTED);
		};
	}

	static void close(Registry registry) {
		if (registry instanceof AutoCloseable c) {
			try {
				c.close();
			} catch (Exception e) {
				// closing on the way out: nothing to do about it
			}
		}
	}
}
