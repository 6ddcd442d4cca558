package micro.api.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import micro.api.ApiHandler;
import micro.broker.Broker;
import micro.client.Client;
import micro.config.MicroConfig;
import micro.registry.Registry;
import micro.runtime.MicroTargets;
import micro.server.Server;
import micro.server.ServerFactory;
import micro.server.ServerOptions;

/**
 * The gateway inside the container ({@code micro server}): configured by the {@code api_*} keys of the
 * {@value MicroConfig#PID} configuration (so {@code MICRO_API_HANDLER} and the rest work as for {@code micro api}),
 * registered as the micro service {@code go.micro.api}, and stopped gracefully. {@code api_enabled=false} keeps it off.
 * Every {@link ApiHandler} service with {@value ApiHandler#NAME_PROPERTY} is usable by that name from the moment it is
 * registered, so a handler bundle installed into the running container needs no restart.
 */
@Component(name = "micro.api", service = {}, immediate = true, configurationPid = MicroConfig.PID,
		configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class GatewayComponent {
	private static final System.Logger LOG = System.getLogger(GatewayComponent.class.getName());

	@Reference
	private Client client;

	@Reference(name = MicroTargets.REGISTRY, target = "(micro.registry=mdns)", policyOption = ReferencePolicyOption.GREEDY)
	private Registry registry;

	@Reference(name = MicroTargets.BROKER, target = "(micro.broker=http)", cardinality = ReferenceCardinality.OPTIONAL,
			policyOption = ReferencePolicyOption.GREEDY)
	private Broker broker;

	@Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
	private ServerFactory servers;

	private final Map<String, ApiHandler> handlers = new ConcurrentHashMap<>();
	private volatile ApiGateway gateway;
	private Server service;

	@Reference(service = ApiHandler.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
			target = "(" + ApiHandler.NAME_PROPERTY + "=*)")
	void addHandler(ApiHandler handler, Map<String, Object> properties) {
		String name = String.valueOf(properties.get(ApiHandler.NAME_PROPERTY));
		handlers.put(name, handler);
		ApiGateway g = gateway;
		if (g != null) {
			g.addHandler(name, handler);
		}
		LOG.log(System.Logger.Level.INFO, "API handler \"" + name + "\" available");
	}

	void removeHandler(ApiHandler handler, Map<String, Object> properties) {
		String name = String.valueOf(properties.get(ApiHandler.NAME_PROPERTY));
		handlers.remove(name, handler);
		ApiGateway g = gateway;
		if (g != null) {
			g.removeHandler(name, handler);
		}
	}

	@Activate
	void activate(Map<String, Object> properties) throws Exception {
		MicroConfig config = MicroConfig.of(properties);
		if ("false".equalsIgnoreCase(config.get(ApiOptions.API_ENABLED, "true"))) {
			LOG.log(System.Logger.Level.INFO, "API gateway disabled (api_enabled=false)");
			return;
		}
		ApiGateway g = new ApiGateway(ApiOptions.from(config), client, registry, broker);
		handlers.forEach(g::addHandler);
		g.start();
		gateway = g;
		if (servers != null) {
			try {
				Server s = servers.create(ServerOptions.named(g.options().serviceName()));
				s.start();
				service = s;
			} catch (Exception e) {
				LOG.log(System.Logger.Level.WARNING, "API gateway: cannot register " + g.options().serviceName() + ": "
						+ e.getMessage());
			}
		}
	}

	/** A configuration change that leaves the gateway's settings as they are (another component's key) restarts nothing. */
	@Modified
	void modified(Map<String, Object> properties) throws Exception {
		MicroConfig config = MicroConfig.of(properties);
		boolean enabled = !"false".equalsIgnoreCase(config.get(ApiOptions.API_ENABLED, "true"));
		ApiGateway g = gateway;
		if (enabled && g != null && g.options().equals(ApiOptions.from(config))) {
			return;
		}
		deactivate();
		activate(properties);
	}

	@Deactivate
	void deactivate() {
		// leave the registry first, then let the requests in flight finish
		Server s = service;
		service = null;
		if (s != null) {
			s.stop();
		}
		ApiGateway g = gateway;
		gateway = null;
		if (g != null) {
			g.stop();
		}
	}
}
