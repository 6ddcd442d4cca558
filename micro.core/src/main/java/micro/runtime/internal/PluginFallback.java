package micro.runtime.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

import micro.broker.Broker;
import micro.config.MicroConfig;
import micro.registry.Registry;
import micro.runtime.MicroTargets;
import micro.transport.Transport;

/**
 * Keeps the runtime working when the registry, broker or transport it is bound to goes away with its bundle (the
 * plugin stopped, uninstalled, or removed with {@code micro plugin remove}). Without this, the client, the servers
 * and the broker would wait, unsatisfied, until someone edits the configuration. Instead the {@code micro}
 * configuration selects again what was in force before that plugin was selected (for example mDNS at the address the
 * container started with), or the default ({@code mdns}, {@code http}, {@code http}) when that is not known or not
 * there either, and the log says so. When the plugin comes back (its service is registered again) and that selection
 * has not been changed meanwhile, the plugin is selected again: the configuration asked for it.
 * <p>
 * Only a kind's own keys are written ({@code registry}, {@code registry.target}, {@code registry_address}; the same
 * for broker and transport). A plugin that re-registers its service while its bundle stays active (a configuration
 * change) is left alone, and so is everything while the framework stops.
 */
@Component(name = "micro.runtime.fallback", immediate = true, service = {}, configurationPid = MicroConfig.PID,
		configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class PluginFallback implements ServiceListener, BundleListener {
	private static final System.Logger LOG = System.getLogger(PluginFallback.class.getName());

	/** One kind of plugin: its service interface, the property that names it, its keys in the configuration. */
	record Kind(String key, Class<?> type, String nameProperty) {
		String targetKey() {
			return MicroTargets.property(key);
		}

		String addressKey() {
			return key + "_address";
		}

		String defaultName() {
			return MicroConfig.DEFAULTS.get(key);
		}

		/** This kind's keys of a configuration. */
		Map<String, Object> values(Map<String, ?> configuration) {
			Map<String, Object> values = new LinkedHashMap<>();
			for (String k : List.of(key, targetKey(), addressKey())) {
				Object v = configuration.get(k);
				if (v != null) {
					values.put(k, v);
				}
			}
			return values;
		}

		/** The filter the runtime's references use with these values: without a target, the default one. */
		String target(Map<String, Object> values) {
			Object t = values.get(targetKey());
			return t != null ? String.valueOf(t) : MicroTargets.filter(nameProperty, defaultName());
		}

		String name(Map<String, Object> values) {
			Object n = values.get(key);
			return n != null ? String.valueOf(n) : defaultName();
		}

		Map<String, Object> defaults() {
			Map<String, Object> values = new LinkedHashMap<>();
			values.put(key, defaultName());
			values.put(targetKey(), MicroTargets.filter(nameProperty, defaultName()));
			return values;
		}
	}

	static final List<Kind> KINDS = List.of(new Kind(MicroConfig.REGISTRY, Registry.class, Registry.NAME_PROPERTY),
			new Kind(MicroConfig.BROKER, Broker.class, Broker.NAME_PROPERTY),
			new Kind(MicroConfig.TRANSPORT, Transport.class, Transport.NAME_PROPERTY));

	/** A plugin that went away: the values that selected it, and those written in their place. */
	private record FellBack(Map<String, Object> selected, Map<String, Object> replacement) {
	}

	private final BundleContext context;
	private final ConfigurationAdmin configurationAdmin;
	/** Each kind's values in the configuration as last delivered, and those before the selection last changed. */
	private final Map<Kind, Map<String, Object>> current = new HashMap<>();
	private final Map<Kind, Map<String, Object>> previous = new HashMap<>();
	private final Map<Kind, FellBack> fellBack = new HashMap<>();
	/** Writes waiting for a bundle to have stopped or started, by bundle id. */
	private final Map<Long, List<Runnable>> afterBundle = new HashMap<>();

	@Activate
	public PluginFallback(BundleContext context, @Reference ConfigurationAdmin configurationAdmin,
			Map<String, Object> properties) throws InvalidSyntaxException {
		this.context = context;
		this.configurationAdmin = configurationAdmin;
		configured(properties);
		StringBuilder filter = new StringBuilder("(|");
		KINDS.forEach(k -> filter.append('(').append(k.nameProperty()).append("=*)"));
		context.addServiceListener(this, filter.append(')').toString());
		context.addBundleListener(this);
	}

	@Modified
	synchronized void configured(Map<String, Object> properties) {
		for (Kind kind : KINDS) {
			Map<String, Object> values = kind.values(properties);
			Map<String, Object> before = current.put(kind, values);
			if (before != null && !kind.target(before).equals(kind.target(values))) {
				previous.put(kind, before);
				// what a fallback would go back to; Configuration Admin may deliver two quick changes as one
				LOG.log(System.Logger.Level.DEBUG, "micro: {0} selection {1} in force; before it {2}", kind.key(),
						kind.target(values), kind.target(before));
			}
		}
	}

	@Deactivate
	void deactivate() {
		context.removeServiceListener(this);
		context.removeBundleListener(this);
	}

	@Override
	public synchronized void serviceChanged(ServiceEvent event) {
		ServiceReference<?> service = event.getServiceReference();
		List<String> types = Arrays.asList((String[]) service.getProperty(Constants.OBJECTCLASS));
		for (Kind kind : KINDS) {
			if (!types.contains(kind.type().getName()) || service.getProperty(kind.nameProperty()) == null) {
				continue;
			}
			try {
				if (event.getType() == ServiceEvent.UNREGISTERING) {
					wentAway(kind, service);
				} else if (event.getType() == ServiceEvent.REGISTERED) {
					cameBack(kind, service);
				}
			} catch (IOException | InvalidSyntaxException | RuntimeException e) {
				failed(kind, e);
			}
		}
	}

	/**
	 * The changes decided while a bundle was stopping or starting are written once it has (delivered on the
	 * framework's event thread): the runtime's components have then dropped the plugin, or can bind it, and are not
	 * being deactivated on the bundle's thread at the same time. A request that removed the plugin through the runtime
	 * service has its answer sent by then.
	 */
	@Override
	public void bundleChanged(BundleEvent event) {
		if (event.getType() == BundleEvent.STOPPED || event.getType() == BundleEvent.STARTED) {
			List<Runnable> writes;
			synchronized (this) {
				writes = afterBundle.remove(event.getBundle().getBundleId());
			}
			if (writes != null) {
				writes.forEach(Runnable::run);
			}
		}
	}

	private void wentAway(Kind kind, ServiceReference<?> service) throws IOException, InvalidSyntaxException {
		Bundle owner = service.getBundle();
		boolean bundleGoing = owner != null && owner.getState() == Bundle.STOPPING;
		if (!bundleGoing || owner.equals(context.getBundle()) || context.getBundle(0).getState() == Bundle.STOPPING) {
			return;
		}
		Map<String, Object> selected = kind.values(stored());
		if (!context.createFilter(kind.target(selected)).match(service) || anotherMatches(kind, selected, service)) {
			return;
		}
		Map<String, Object> candidate = previous.get(kind);
		Map<String, Object> replacement = candidate != null && anotherMatches(kind, candidate, service) ? candidate
				: kind.defaults();
		Object name = service.getProperty(kind.nameProperty());
		if (context.createFilter(kind.target(replacement)).match(service)) {
			LOG.log(System.Logger.Level.WARNING, "micro: {0} {1} went away with bundle {2}; it is the default, there is "
					+ "nothing to fall back to", kind.key(), name, owner.getSymbolicName());
			return;
		}
		String bundle = owner.getSymbolicName() + " " + owner.getVersion();
		afterBundle.computeIfAbsent(owner.getBundleId(), id -> new ArrayList<>()).add(() -> {
			synchronized (this) {
				try {
					if (!kind.values(stored()).equals(selected)) {
						return; // selected otherwise meanwhile
					}
					write(kind, replacement);
					fellBack.put(kind, new FellBack(selected, replacement));
					LOG.log(System.Logger.Level.WARNING, "micro: {0} {1} went away with bundle {2}; falling back to {0} "
							+ "{3}{4} (it is selected again if it comes back)", kind.key(), name, bundle,
							kind.name(replacement), address(kind, replacement));
				} catch (IOException | RuntimeException e) {
					failed(kind, e);
				}
			}
		});
	}

	private void cameBack(Kind kind, ServiceReference<?> service) throws InvalidSyntaxException {
		FellBack left = fellBack.get(kind);
		if (left == null || !context.createFilter(kind.target(left.selected())).match(service)) {
			return;
		}
		fellBack.remove(kind);
		Bundle owner = service.getBundle();
		Object name = service.getProperty(kind.nameProperty());
		Runnable reselect = () -> {
			synchronized (this) {
				try {
					if (!kind.values(stored()).equals(left.replacement())) {
						return; // selected otherwise since: that choice stands
					}
					write(kind, left.selected());
					LOG.log(System.Logger.Level.INFO, "micro: {0} {1} is back (bundle {2}); selected again{3}",
							kind.key(), name, owner.getSymbolicName(), address(kind, left.selected()));
				} catch (IOException | RuntimeException e) {
					failed(kind, e);
				}
			}
		};
		if (owner.getState() == Bundle.STARTING) {
			afterBundle.computeIfAbsent(owner.getBundleId(), id -> new ArrayList<>()).add(reselect);
		} else {
			reselect.run();
		}
	}

	private static void failed(Kind kind, Exception e) {
		LOG.log(System.Logger.Level.ERROR, "micro: cannot change the " + kind.key() + " in the " + MicroConfig.PID
				+ " configuration: " + e.getMessage(), e);
	}

	/** Whether a registered service other than the one leaving matches these values' target. */
	private boolean anotherMatches(Kind kind, Map<String, Object> values, ServiceReference<?> leaving)
			throws InvalidSyntaxException {
		ServiceReference<?>[] found = context.getServiceReferences(kind.type().getName(), kind.target(values));
		return found != null && Arrays.stream(found).anyMatch(r -> !r.equals(leaving));
	}

	private static String address(Kind kind, Map<String, Object> values) {
		Object a = values.get(kind.addressKey());
		return a == null ? "" : " at " + a;
	}

	/** The {@code micro} configuration as stored now (what the runtime gets next). */
	private Map<String, Object> stored() throws IOException {
		Dictionary<String, Object> properties = configurationAdmin.getConfiguration(MicroConfig.PID, "?").getProperties();
		Map<String, Object> m = new HashMap<>();
		if (properties != null) {
			for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
				String k = keys.nextElement();
				m.put(k, properties.get(k));
			}
		}
		return m;
	}

	/** Replaces the kind's keys in the stored configuration, keeping every other key. */
	private void write(Kind kind, Map<String, Object> values) throws IOException {
		Hashtable<String, Object> updated = new Hashtable<>(stored());
		kind.values(updated).keySet().forEach(updated::remove);
		updated.putAll(values);
		configurationAdmin.getConfiguration(MicroConfig.PID, "?").update(updated);
	}
}
