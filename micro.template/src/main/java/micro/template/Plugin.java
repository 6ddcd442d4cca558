package micro.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A plugin the project runs with ({@code --plugin registry=etcd:broker=kafka}): the kind of component and its name,
 * provided by the bundle {@code micro.<kind>.<name>} as an OSGi service with the property
 * {@code micro.<kind>=<name>}.
 */
public record Plugin(String kind, String name) {
	private static final Map<String, String> INTERFACES = Map.of("registry", "micro.registry.Registry", "broker",
			"micro.broker.Broker", "transport", "micro.transport.Transport");
	private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

	/**
	 * The plugins of one {@code --plugin} value: {@code kind=name} pairs separated by colons.
	 *
	 * @throws IllegalArgumentException for a malformed pair, an unknown kind or a bad name
	 */
	public static List<Plugin> parse(String value) {
		List<Plugin> out = new ArrayList<>();
		for (String pair : value.split(":")) {
			int eq = pair.indexOf('=');
			if (eq <= 0 || eq == pair.length() - 1) {
				throw new IllegalArgumentException("invalid plugin \"" + pair + "\": expected kind=name, as in"
						+ " --plugin registry=etcd:broker=kafka");
			}
			String kind = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
			String name = pair.substring(eq + 1).trim().toLowerCase(Locale.ROOT);
			if (!INTERFACES.containsKey(kind)) {
				throw new IllegalArgumentException("invalid plugin \"" + pair
						+ "\": the kind must be registry, broker or transport");
			}
			if (!NAME.matcher(name).matches()) {
				throw new IllegalArgumentException("invalid plugin \"" + pair + "\": a plugin name is lower-case"
						+ " letters, digits and hyphens");
			}
			out.add(new Plugin(kind, name));
		}
		return out;
	}

	/** The bundle that provides it, for example {@code micro.registry.etcd}. */
	public String bundle() {
		return "micro." + kind + "." + name;
	}

	/** The OSGi service it registers, as a requirement filter. */
	public String serviceFilter() {
		return "(&(objectClass=" + INTERFACES.get(kind) + ")(micro." + kind + "=" + name + "))";
	}

	@Override
	public String toString() {
		return kind + "=" + name;
	}
}
