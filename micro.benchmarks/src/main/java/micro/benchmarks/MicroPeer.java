package micro.benchmarks;

import java.io.IOException;
import java.util.Map;

import micro.benchmarks.proto.Payload;
import micro.client.CallOptions;
import micro.client.Request;
import micro.client.internal.RpcClient;
import micro.codec.internal.Codecs;
import micro.config.MicroConfig;
import micro.registry.cache.RegistryCache;
import micro.registry.internal.MemoryRegistry;
import micro.selector.internal.RegistrySelector;
import micro.server.ServerOptions;
import micro.server.internal.RpcServer;
import micro.transport.internal.HttpTransport;

/**
 * Our side: an RpcServer serving {@code Bench.Echo} under {@value #SERVICE}, and an RpcClient that finds it through a
 * MemoryRegistry, each with its own HttpTransport, calling with {@code application/protobuf}.
 */
final class MicroPeer implements RpcBench.Peer {
	static final String SERVICE = "micro.bench";
	static final String CONTENT_TYPE = "application/protobuf";

	/** The handler: endpoint {@code Bench.Echo}. */
	public static final class EchoHandler {
		public Payload Echo(Payload payload) {
			return payload;
		}
	}

	private final RpcServer server;
	private final RegistryCache cache;
	private final RpcClient client;

	MicroPeer() throws IOException {
		MicroConfig config = MicroConfig.of(Map.of(MicroConfig.REGISTRY, "memory"));
		MemoryRegistry registry = new MemoryRegistry();
		Codecs codecs = new Codecs();
		server = new RpcServer(ServerOptions.named(SERVICE), config, registry, null, new HttpTransport(), codecs);
		server.handle("Bench", new EchoHandler(), Map.of());
		server.start();
		cache = new RegistryCache(registry);
		client = new RpcClient(config, new RegistrySelector(cache), new HttpTransport(), codecs, null);
	}

	@Override
	public String name() {
		return "micro";
	}

	@Override
	public Payload echo(Payload payload) {
		return client.call(new Request(SERVICE, "Bench.Echo", payload, CONTENT_TYPE), Payload.class,
				CallOptions.DEFAULTS);
	}

	@Override
	public void close() {
		server.stop();
		cache.close();
	}
}
