package micro.cli.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import micro.config.MicroConfig;

/**
 * Writes the runtime's {@code micro} configuration when the container starts: {@code conf/micro.cfg} under
 * {@code micro.home}, then the {@code MICRO_*} environment variables, then the flags {@code micro server} was given
 * (framework property {@value ServerConfig#FLAGS_PROPERTY}). The launcher starts this bundle before the runtime's
 * bundles (start levels), so the runtime starts configured instead of starting twice.
 */
@Component(immediate = true)
public class ConfigSeeder {
	private static final System.Logger LOG = System.getLogger(ConfigSeeder.class.getName());
	/** Keys ConfigAdmin and FileInstall add themselves, left out of the comparison. */
	private static final Set<String> BOOKKEEPING = Set.of(Constants.SERVICE_PID, "service.factoryPid",
			"service.bundleLocation", "felix.fileinstall.filename");

	@Activate
	public ConfigSeeder(BundleContext context, @Reference ConfigurationAdmin configurationAdmin) {
		String home = context.getProperty(ServerConfig.HOME_PROPERTY);
		Map<String, String> file = home == null ? Map.of()
				: ServerConfig.readFile(Path.of(home, "conf", ServerConfig.CONFIG_FILE));
		Map<String, String> env = MicroConfig.fromEnvironment(System.getenv());
		Map<String, String> flags = ServerConfig.decode(context.getProperty(ServerConfig.FLAGS_PROPERTY));
		// secrets (registry_password, …) are stored as private properties, so DS does not publish them
		Map<String, String> wanted = MicroConfig.withPrivateSecrets(ServerConfig.merge(file, env, flags));
		try {
			Configuration configuration = configurationAdmin.getConfiguration(MicroConfig.PID, "?");
			if (!wanted.equals(current(configuration.getProperties()))) {
				configuration.update(new Hashtable<>(wanted));
				LOG.log(Level.DEBUG, "micro configuration: {0}", wanted);
			}
		} catch (IOException e) {
			LOG.log(Level.ERROR, "cannot write the micro configuration: " + e.getMessage(), e);
		}
	}

	private static Map<String, String> current(Dictionary<String, Object> properties) {
		Map<String, String> m = new TreeMap<>();
		if (properties != null) {
			for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
				String k = keys.nextElement();
				if (!BOOKKEEPING.contains(k)) {
					m.put(k, String.valueOf(properties.get(k)));
				}
			}
		}
		return m;
	}
}
