package micro.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.StringValue;

import micro.client.CallOptions;
import micro.client.ClientStream;
import micro.client.Request;
import micro.client.internal.RpcClient;
import micro.codec.RawBody;
import micro.codec.internal.Codecs;
import micro.config.MicroConfig;
import micro.errors.MicroError;
import micro.registry.cache.RegistryCache;
import micro.registry.internal.MemoryRegistry;
import micro.selector.internal.RegistrySelector;
import micro.server.ServerOptions;
import micro.server.internal.RpcServerTest.Example;
import micro.server.internal.RpcServerTest.Num;
import micro.server.internal.RpcServerTest.Response;
import micro.transport.internal.HttpTransport;

/** Our client against our server, through the memory registry, every codec. */
class ClientServerTest {
	private static final String SERVICE = "go.micro.srv.example";
	private final MicroConfig config = MicroConfig.of(Map.of("client_request_timeout", "2s"));
	private final MemoryRegistry registry = new MemoryRegistry();
	private final HttpTransport transport = new HttpTransport();
	private final Codecs codecs = new Codecs();
	private RpcServer server;
	private RegistryCache cache;
	private RpcClient client;

	@BeforeEach
	void start() throws IOException {
		server = new RpcServer(ServerOptions.named(SERVICE), config, registry, null, transport, codecs);
		server.handle(new Example());
		server.start();
		cache = new RegistryCache(registry);
		client = new RpcClient(config, new RegistrySelector(cache), transport, codecs, null);
	}

	@AfterEach
	void stop() {
		client.close();
		cache.close();
		server.stop();
		registry.close();
	}

	@Test
	void unaryCallsWithEveryCodec() {
		for (String ct : List.of("application/json", "application/json-rpc")) {
			Response r = client.call(new Request(SERVICE, "Example.Call", new RpcServerTest.Request("John"), ct),
					Response.class, CallOptions.DEFAULTS);
			assertEquals("Hello John", r.msg(), ct);
		}
		for (String ct : List.of("application/protobuf", "application/proto-rpc")) {
			StringValue v = client.call(new Request(SERVICE, "Example.Echo", StringValue.of("pb"), ct),
					StringValue.class, CallOptions.DEFAULTS);
			assertEquals("pb via Example.Echo from null", v.getValue(), ct);
		}
		RawBody raw = client.call(new Request(SERVICE, "Example.Call", RawBody.of("{\"name\":\"raw\"}")), RawBody.class,
				CallOptions.DEFAULTS);
		assertEquals("{\"msg\":\"Hello raw\"}", raw.utf8());
	}

	@Test
	void errorsArriveParsed() {
		MicroError conflict = assertThrows(MicroError.class, () -> client.call(new Request(SERVICE, "Example.Call",
				new RpcServerTest.Request("micro")), Response.class, CallOptions.DEFAULTS));
		assertEquals(409, conflict.code());
		MicroError boom = assertThrows(MicroError.class, () -> client.call(new Request(SERVICE, "Example.Call",
				new RpcServerTest.Request("fail")), Response.class, CallOptions.DEFAULTS.withRetries(0)));
		assertEquals(500, boom.code());
		assertEquals(SERVICE, boom.id());
		MicroError missing = assertThrows(MicroError.class, () -> client.call(new Request(SERVICE, "Example.Nope",
				Map.of()), Response.class, CallOptions.DEFAULTS));
		assertEquals("rpc: can't find method Nope", missing.detail());
		MicroError late = assertThrows(MicroError.class, () -> client.call(new Request(SERVICE, "Example.Wait",
				new RpcServerTest.Request("3000")), Response.class,
				CallOptions.DEFAULTS.withTimeout(Duration.ofMillis(300)).withRetries(0)));
		assertEquals(408, late.code());
	}

	@Test
	void streamsInEveryDirection() {
		try (ClientStream s = client.stream(new Request(SERVICE, "Example.Count", Map.of()), CallOptions.DEFAULTS)) {
			s.send(new RpcServerTest.Request("c"));
			for (int i = 0; i < 3; i++) {
				assertEquals("c" + i, s.recv(Response.class).msg());
			}
			assertNull(s.recv(Response.class));
		}
		try (ClientStream s = client.stream(new Request(SERVICE, "Example.Sum", Map.of()), CallOptions.DEFAULTS)) {
			for (int i = 1; i <= 3; i++) {
				s.send(new Num(i));
			}
			s.closeSend();
			assertEquals(6, s.recv(Num.class).n());
			assertNull(s.recv(Num.class));
		}
		try (ClientStream s = client.stream(new Request(SERVICE, "Example.Chat", Map.of()), CallOptions.DEFAULTS)) {
			s.send(new RpcServerTest.Request("hi"));
			assertEquals("re: hi", s.recv(Response.class).msg());
			s.send(new RpcServerTest.Request("bye"));
			MicroError rude = assertThrows(MicroError.class, () -> s.recv(Response.class));
			assertEquals("rude", rude.detail());
		}
	}

	@Test
	void aStreamReceiveThatTimesOutFailsWith408AndEndsTheStream() {
		try (ClientStream s = client.stream(new Request(SERVICE, "Example.Sum", Map.of()),
				CallOptions.DEFAULTS.withTimeout(Duration.ofMillis(300)))) {
			// Sum answers only after the client's EOS
			s.send(new Num(1));
			long start = System.nanoTime();
			MicroError e = assertThrows(MicroError.class, () -> s.recv(Num.class));
			assertEquals(408, e.code());
			assertTrue(System.nanoTime() - start >= 300_000_000L);
			assertNull(s.recv(Num.class), "the stream has ended");
		}
		// the client goes on with new calls
		assertEquals("Hello after", client.call(new Request(SERVICE, "Example.Call", new RpcServerTest.Request("after")),
				Response.class, CallOptions.DEFAULTS).msg());
	}

	@Test
	void debugHealthThroughTheClient() {
		RawBody health = client.call(new Request(SERVICE, "Debug.Health", Map.of()), RawBody.class, CallOptions.DEFAULTS);
		assertEquals("{\"status\":\"ok\"}", health.utf8());
		assertTrue(server.service().endpoints().stream().noneMatch(e -> e.name().startsWith("Debug.")));
	}
}
