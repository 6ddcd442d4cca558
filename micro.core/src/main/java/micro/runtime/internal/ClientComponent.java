package micro.runtime.internal;

import java.lang.reflect.Type;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

import micro.broker.Broker;
import micro.client.CallOptions;
import micro.client.Client;
import micro.client.ClientStream;
import micro.client.Request;
import micro.codec.internal.Codecs;
import micro.config.MicroConfig;
import micro.registry.Registry;
import micro.registry.cache.RegistryCache;
import micro.runtime.MicroTargets;
import micro.selector.internal.RegistrySelector;
import micro.transport.Transport;

/**
 * The {@link Client} service: an {@code RpcClient} on the registry, transport and broker chosen by the
 * {@code registry.target}, {@code transport.target} and {@code broker.target} properties of the
 * {@value micro.config.MicroConfig#PID} configuration. A changed configuration or a better matching service
 * (greedy references) makes a new client. The broker is optional: without one, publishing fails clearly.
 */
@Component(name = "micro.client", service = Client.class, configurationPid = MicroConfig.PID,
		configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RuntimeConfiguration.class)
public class ClientComponent implements Client {
	private final RegistryCache cache;
	private final micro.client.internal.RpcClient client;

	@Activate
	public ClientComponent(
			@Reference(name = MicroTargets.REGISTRY, target = RuntimeComponents.DEFAULT_REGISTRY_TARGET,
					policyOption = ReferencePolicyOption.GREEDY) Registry registry,
			@Reference(name = MicroTargets.TRANSPORT, target = RuntimeComponents.DEFAULT_TRANSPORT_TARGET,
					policyOption = ReferencePolicyOption.GREEDY) Transport transport,
			@Reference(name = MicroTargets.BROKER, target = RuntimeComponents.DEFAULT_BROKER_TARGET,
					cardinality = ReferenceCardinality.OPTIONAL,
					policyOption = ReferencePolicyOption.GREEDY) Broker broker,
			Map<String, Object> properties) {
		this.cache = new RegistryCache(registry);
		this.client = new micro.client.internal.RpcClient(MicroConfig.of(properties),
				new RegistrySelector(cache), transport, new Codecs(), broker);
	}

	@Deactivate
	void deactivate() {
		client.close();
		cache.close();
	}

	@Override
	public <T> T call(Request request, Class<T> responseType, CallOptions options) {
		return client.call(request, responseType, options);
	}

	@Override
	public Object call(Request request, Type responseType, CallOptions options) {
		return client.call(request, responseType, options);
	}

	@Override
	public ClientStream stream(Request request, CallOptions options) {
		return client.stream(request, options);
	}

	@Override
	public void publish(String topic, Object message, String contentType, CallOptions options) {
		client.publish(topic, message, contentType, options);
	}
}
