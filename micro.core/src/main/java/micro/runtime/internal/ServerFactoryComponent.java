package micro.runtime.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import micro.broker.Broker;
import micro.codec.internal.Codecs;
import micro.config.MicroConfig;
import micro.registry.Registry;
import micro.runtime.MicroTargets;
import micro.runtime.Reactivation;
import micro.server.Server;
import micro.server.ServerFactory;
import micro.server.ServerOptions;
import micro.server.internal.RpcServer;
import micro.transport.Transport;

/**
 * The {@link ServerFactory} service: makes {@code RpcServer}s on the configured registry, transport and broker (see
 * {@link ClientComponent} for the targets). When it goes away (a changed configuration, a rebinding) it stops the
 * servers it made, so they deregister from the registry they were made for. A changed configuration that changes
 * nothing the servers use (a client setting) keeps it, and its servers, as they are.
 */
@Component(name = "micro.server.factory", service = ServerFactory.class, configurationPid = MicroConfig.PID,
		configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class ServerFactoryComponent implements ServerFactory {
	private static final System.Logger LOG = System.getLogger(ServerFactoryComponent.class.getName());

	private final ComponentContext context;
	private final MicroConfig config;
	private final Map<String, Object> settings;
	private final Registry registry;
	private final Transport transport;
	private final Broker broker;
	private final Codecs codecs = new Codecs();
	private final List<Server> made = new CopyOnWriteArrayList<>();

	@Activate
	public ServerFactoryComponent(
			@Reference(name = MicroTargets.REGISTRY, target = RuntimeComponents.DEFAULT_REGISTRY_TARGET,
					policyOption = ReferencePolicyOption.GREEDY) Registry registry,
			@Reference(name = MicroTargets.TRANSPORT, target = RuntimeComponents.DEFAULT_TRANSPORT_TARGET,
					policyOption = ReferencePolicyOption.GREEDY) Transport transport,
			@Reference(name = MicroTargets.BROKER, target = RuntimeComponents.DEFAULT_BROKER_TARGET,
					cardinality = ReferenceCardinality.OPTIONAL,
					policyOption = ReferencePolicyOption.GREEDY) Broker broker,
			ComponentContext context, Map<String, Object> properties) {
		this.context = context;
		this.config = MicroConfig.of(properties);
		this.settings = RuntimeComponents.without(properties, RuntimeComponents.CLIENT_ONLY);
		this.registry = registry;
		this.transport = transport;
		this.broker = broker;
	}

	@Override
	public Server create(ServerOptions options) {
		Server server = new RpcServer(options, config, registry, broker, transport, codecs);
		made.add(server);
		return server;
	}

	@Modified
	void modified(Map<String, Object> properties) {
		Reactivation.reactivateIfChanged(context, settings,
				() -> RuntimeComponents.without(properties, RuntimeComponents.CLIENT_ONLY));
	}

	@Deactivate
	void deactivate() {
		for (Server s : made) {
			try {
				s.stop();
			} catch (RuntimeException e) {
				LOG.log(System.Logger.Level.WARNING, "stopping {0}: {1}", s.options().name(), e.getMessage());
			}
		}
		made.clear();
	}
}
