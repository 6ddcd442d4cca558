package micro.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import micro.client.CallOptions;
import micro.client.ClientStream;
import micro.client.Request;
import micro.config.MicroConfig;
import micro.errors.MicroError;
import micro.registry.Node;
import micro.runtime.Micro;
import micro.server.Server;
import micro.server.ServerOptions;
import micro.server.ServerStream;

class RpcClientTest {
	public record Ping(String text) {
	}

	public static final class Pinger {
		public Ping ping(Ping p) {
			return p;
		}

		public Ping fail(Ping p) {
			throw MicroError.notFound("go.micro.srv.pinger", "gone");
		}

		public void broken(ServerStream stream) {
			stream.recv(Ping.class);
			throw MicroError.conflict("go.micro.srv.pinger", "stream refused");
		}
	}

	static Micro micro;
	static Server server;

	@BeforeAll
	static void start() throws Exception {
		micro = Micro.builder().config(MicroConfig.of(Map.of("registry", "memory"))).build();
		server = micro.newServer(ServerOptions.named("go.micro.srv.pinger"));
		server.handle(new Pinger());
		server.start();
	}

	@AfterAll
	static void stop() {
		micro.close();
	}

	private RpcClient newClient(Map<String, String> config) {
		return new RpcClient(MicroConfig.of(config), micro.selector(), micro.transport(), new micro.codec.internal.Codecs(),
				null);
	}

	@Test
	void connectionsArePooledAndReturnedOnlyAfterCleanCalls() {
		try (RpcClient client = newClient(Map.of())) {
			Request ping = new Request("go.micro.srv.pinger", "Pinger.Ping", new Ping("x"));
			for (int i = 0; i < 3; i++) {
				assertEquals(new Ping("x"), client.call(ping, Ping.class, null));
			}
			assertEquals(1, client.idleConnections(server.address()), "one connection, reused");
			assertThrows(MicroError.class, () -> client.call(new Request("go.micro.srv.pinger", "Pinger.Fail",
					new Ping("x")), Ping.class, null));
			assertEquals(0, client.idleConnections(server.address()), "a failed call's connection is closed");
		}
		try (RpcClient unpooled = newClient(Map.of(MicroConfig.CLIENT_POOL_SIZE, "0"))) {
			unpooled.call(new Request("go.micro.srv.pinger", "Pinger.Ping", new Ping("y")), Ping.class, null);
			assertEquals(0, unpooled.idleConnections(server.address()));
		}
	}

	@Test
	void configuredTimeoutApplies() {
		try (RpcClient client = newClient(Map.of(MicroConfig.CLIENT_REQUEST_TIMEOUT, "1ns"))) {
			MicroError e = assertThrows(MicroError.class, () -> client.call(new Request("go.micro.srv.pinger",
					"Pinger.Ping", new Ping("x")), Ping.class, CallOptions.DEFAULTS.withRetries(0)));
			assertEquals(408, e.code());
		}
	}

	@Test
	void badConfigurationIsRefusedClearly() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> newClient(Map.of(MicroConfig.CLIENT_RETRIES, "many")));
		assertTrue(e.getMessage().contains("client_retries"), e.getMessage());
	}

	@Test
	void unsupportedContentTypeIsABadRequest() {
		try (RpcClient client = newClient(Map.of())) {
			MicroError e = assertThrows(MicroError.class, () -> client.call(
					new Request("go.micro.srv.pinger", "Pinger.Ping", new Ping("x"), "application/x-unknown"), Ping.class,
					null));
			assertEquals(400, e.code());
			assertEquals("unsupported Content-Type: application/x-unknown", e.detail());
		}
	}

	@Test
	void aStreamHandlerErrorReachesRecv() {
		try (RpcClient client = newClient(Map.of());
				ClientStream s = client.stream(new Request("go.micro.srv.pinger", "Pinger.Broken", null), null)) {
			s.send(new Ping("go"));
			MicroError e = assertThrows(MicroError.class, () -> s.recv(Ping.class));
			assertEquals(409, e.code());
			assertEquals("stream refused", e.detail());
		}
	}

	@Test
	void backoffIsGoMicros() {
		assertEquals(Duration.ZERO, RpcClient.backoff(0));
		assertEquals(Duration.ofMillis(100), RpcClient.backoff(1));
		assertEquals(Duration.ofMillis(658), RpcClient.backoff(2));
		assertEquals(Duration.ofMinutes(2), RpcClient.backoff(30));
	}

	@Test
	void legacyNegotiation() {
		assertEquals("application/json-rpc", RpcClient.negotiate(new Node("n", "a:1", Map.of()), "application/json"));
		assertEquals("application/proto-rpc",
				RpcClient.negotiate(new Node("n", "a:1", Map.of()), "application/protobuf"));
		assertEquals("application/json",
				RpcClient.negotiate(new Node("n", "a:1", Map.of("protocol", "mucp")), "application/json"));
	}
}
