package micro.runtime.internal;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import micro.broker.Broker;
import micro.broker.internal.HttpBroker;
import micro.config.MicroConfig;
import micro.registry.Registry;
import micro.runtime.MicroTargets;
import micro.runtime.Reactivation;

/**
 * The built-in {@code http} broker as an OSGi service ({@code micro.broker=http}), on the configured registry
 * ({@code registry.target} of the {@value micro.config.MicroConfig#PID} configuration) and listening on the first
 * {@code broker_address} (default {@code 127.0.0.1:0}) once something subscribes. Only a changed address (or another
 * registry) makes a new one: other configuration changes leave it, and the servers using it, as they are.
 */
@Component(name = "micro.broker.http", service = Broker.class, configurationPid = MicroConfig.PID,
		configurationPolicy = ConfigurationPolicy.OPTIONAL, property = Broker.NAME_PROPERTY + "=" + HttpBroker.NAME)
public class HttpBrokerComponent extends HttpBroker {
	private final ComponentContext context;
	private final String configured;

	@Activate
	public HttpBrokerComponent(
			@Reference(name = MicroTargets.REGISTRY, target = RuntimeComponents.DEFAULT_REGISTRY_TARGET,
					policyOption = ReferencePolicyOption.GREEDY) Registry registry,
			ComponentContext context, Map<String, Object> properties) {
		super(registry, firstAddress(properties));
		this.context = context;
		this.configured = firstAddress(properties);
	}

	@Modified
	void modified(Map<String, Object> properties) {
		Reactivation.reactivateIfChanged(context, configured, () -> firstAddress(properties));
	}

	private static String firstAddress(Map<String, Object> properties) {
		List<String> addresses = MicroConfig.of(properties).getList(MicroConfig.BROKER_ADDRESS);
		return addresses.isEmpty() ? null : addresses.get(0);
	}

	@Deactivate
	void deactivate() {
		close();
	}
}
