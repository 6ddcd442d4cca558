package micro.runtime;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import micro.broker.Broker;
import micro.broker.internal.HttpBroker;
import micro.client.Client;
import micro.client.internal.RpcClient;
import micro.codec.internal.Codecs;
import micro.config.MicroConfig;
import micro.registry.Registry;
import micro.registry.cache.RegistryCache;
import micro.registry.internal.MemoryRegistry;
import micro.selector.Selector;
import micro.selector.internal.RegistrySelector;
import micro.server.Server;
import micro.server.ServerOptions;
import micro.transport.Transport;
import micro.transport.internal.HttpTransport;

/**
 * The runtime without OSGi: a client, servers, a registry, a broker and a transport wired together as the OSGi
 * container wires them.
 *
 * <pre>
 * try (Micro micro = Micro.builder().registry(new MdnsRegistry(options)).build()) {
 * 	Server server = micro.newServer(ServerOptions.named("go.micro.srv.greeter"));
 * 	server.handle(new Greeter());
 * 	server.start();
 * 	Reply r = micro.client().call(new Request("go.micro.srv.greeter", "Greeter.Hello", hello), Reply.class, null);
 * }
 * </pre>
 *
 * The registry must be given, unless the configuration says {@code registry=memory}; the transport defaults to
 * {@code http} and the broker to {@code http} (over the registry, listening on {@code broker_address} or
 * {@code 127.0.0.1:0} once something subscribes). What the builder made, {@link #close()} closes; what it was given,
 * it leaves open.
 */
public final class Micro implements AutoCloseable {
	private final MicroConfig config;
	private final Registry registry;
	private final Transport transport;
	private final Broker broker;
	private final Codecs codecs;
	private final RegistryCache cache;
	private final RegistrySelector selector;
	private final RpcClient client;
	private final List<AutoCloseable> owned;
	private final List<Server> servers = new CopyOnWriteArrayList<>();

	private Micro(MicroConfig config, Registry registry, Transport transport, Broker broker, List<AutoCloseable> owned) {
		this.config = config;
		this.registry = registry;
		this.transport = transport;
		this.broker = broker;
		this.owned = owned;
		this.codecs = new Codecs();
		this.cache = new RegistryCache(registry);
		this.selector = new RegistrySelector(cache);
		this.client = new RpcClient(config, selector, transport, codecs, broker);
	}

	public static Builder builder() {
		return new Builder();
	}

	public MicroConfig config() {
		return config;
	}

	public Client client() {
		return client;
	}

	public Registry registry() {
		return registry;
	}

	/** The broker, or null when the builder was told to use none. */
	public Broker broker() {
		return broker;
	}

	public Transport transport() {
		return transport;
	}

	public Selector selector() {
		return selector;
	}

	/** A new server on this runtime's registry, broker and transport; not started. {@link #close()} stops it. */
	public Server newServer(ServerOptions options) {
		Objects.requireNonNull(options, "options");
		Server server = new micro.server.internal.RpcServer(options, config, registry, broker, transport, codecs);
		servers.add(server);
		return server;
	}

	/** Stops the servers made here, then closes the client and whatever the builder made. */
	@Override
	public void close() {
		for (Server s : servers) {
			try {
				s.stop();
			} catch (RuntimeException e) {
				System.getLogger(Micro.class.getName()).log(System.Logger.Level.WARNING,
						"stopping " + s.options().name() + ": " + e.getMessage());
			}
		}
		servers.clear();
		client.close();
		cache.close();
		for (int i = owned.size() - 1; i >= 0; i--) {
			try {
				owned.get(i).close();
			} catch (Exception e) {
				System.getLogger(Micro.class.getName()).log(System.Logger.Level.WARNING,
						"closing " + owned.get(i) + ": " + e.getMessage());
			}
		}
	}

	public static final class Builder {
		private MicroConfig config = MicroConfig.of(Map.of());
		private Registry registry;
		private Transport transport;
		private Broker broker;
		private boolean noBroker;

		private Builder() {
		}

		public Builder config(MicroConfig c) {
			this.config = Objects.requireNonNull(c, "config");
			return this;
		}

		public Builder registry(Registry r) {
			this.registry = r;
			return this;
		}

		public Builder transport(Transport t) {
			this.transport = t;
			return this;
		}

		public Builder broker(Broker b) {
			this.broker = b;
			this.noBroker = false;
			return this;
		}

		/** No broker at all: publishing fails, subscribers only get events sent over the transport. */
		public Builder withoutBroker() {
			this.broker = null;
			this.noBroker = true;
			return this;
		}

		/**
		 * @throws IllegalArgumentException when the configuration names a registry, transport, broker or selector
		 *                                  that is not built in and none was given
		 */
		public Micro build() {
			List<AutoCloseable> owned = new CopyOnWriteArrayList<>();
			String selectorName = config.get(MicroConfig.SELECTOR, RegistrySelector.NAME);
			if (!selectorName.equals(RegistrySelector.NAME)) {
				throw new IllegalArgumentException("selector \"" + selectorName + "\" is not available: only \""
						+ RegistrySelector.NAME + "\" is built in");
			}
			Registry registry = this.registry;
			Transport transport = this.transport;
			Broker broker = this.broker;
			if (registry == null) {
				String name = config.get(MicroConfig.REGISTRY, "mdns");
				if (!name.equals(MemoryRegistry.NAME)) {
					throw new IllegalArgumentException("registry \"" + name + "\" is not built into micro.core: pass one"
							+ " with Micro.builder().registry(...) (for example the mdns or etcd module's registry),"
							+ " or configure registry=memory");
				}
				MemoryRegistry memory = new MemoryRegistry();
				owned.add(memory);
				registry = memory;
			}
			if (transport == null) {
				String name = config.get(MicroConfig.TRANSPORT, HttpTransport.NAME);
				if (!name.equals(HttpTransport.NAME)) {
					throw new IllegalArgumentException("transport \"" + name + "\" is not built into micro.core: pass one"
							+ " with Micro.builder().transport(...), or configure transport=http");
				}
				transport = new HttpTransport();
			}
			if (broker == null && !noBroker) {
				String name = config.get(MicroConfig.BROKER, HttpBroker.NAME);
				if (!name.equals(HttpBroker.NAME)) {
					throw new IllegalArgumentException("broker \"" + name + "\" is not built into micro.core: pass one"
							+ " with Micro.builder().broker(...), or configure broker=http");
				}
				List<String> addresses = config.getList(MicroConfig.BROKER_ADDRESS);
				HttpBroker http = new HttpBroker(registry, addresses.isEmpty() ? null : addresses.get(0));
				owned.add(http);
				broker = http;
			}
			return new Micro(config, registry, transport, broker, owned);
		}
	}

	/** Connects the broker now when it is the built-in HTTP broker (it otherwise connects on first subscribe). */
	public void connectBroker() throws IOException {
		if (broker instanceof HttpBroker http) {
			http.connect();
		}
	}
}
