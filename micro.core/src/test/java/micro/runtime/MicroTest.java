package micro.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import micro.client.CallOptions;
import micro.client.Client;
import micro.client.ClientStream;
import micro.client.Request;
import micro.codec.RawBody;
import micro.config.MicroConfig;
import micro.errors.MicroError;
import micro.metadata.Metadata;
import micro.registry.Node;
import micro.registry.Service;
import micro.registry.internal.MemoryRegistry;
import micro.server.Context;
import micro.server.Server;
import micro.server.ServerOptions;
import micro.server.ServerStream;

/** Two runtimes on one registry: a server in one, the client of the other calling it. */
class MicroTest {
	public record Hello(String name) {
	}

	public record Reply(String msg) {
	}

	public record Count(int to) {
	}

	public record Event(String what) {
	}

	public static final class Greeter {
		final AtomicInteger flaky = new AtomicInteger();
		final AtomicInteger badCalls = new AtomicInteger();

		public Reply hello(Hello req) {
			return new Reply("Hello " + req.name());
		}

		public Reply whoami(Context ctx, Hello req) {
			return new Reply(ctx.metadata().get("X-Trace-Id") + "|" + ctx.metadata().get("Content-Type"));
		}

		/** Fails with 500 on every odd call. */
		public Reply flaky(Hello req) {
			if (flaky.getAndIncrement() % 2 == 0) {
				throw MicroError.internalServerError("go.micro.srv.greeter", "try again");
			}
			return new Reply("second time lucky");
		}

		public Reply bad(Hello req) {
			badCalls.incrementAndGet();
			throw MicroError.badRequest("go.micro.srv.greeter", "no");
		}

		public Reply slow(Hello req) throws InterruptedException {
			Thread.sleep(2000);
			return new Reply("late");
		}

		public void count(Count req, ServerStream stream) {
			for (int i = 1; i <= req.to(); i++) {
				stream.send(new Reply("n" + i));
			}
		}

		public void echo(ServerStream stream) {
			Hello h;
			while ((h = stream.recv(Hello.class)) != null) {
				stream.send(new Reply(h.name()));
			}
		}
	}

	public static final class Listener {
		final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

		public void on(Event e) {
			events.add(e);
		}
	}

	static final String SERVICE = "go.micro.srv.greeter";
	static MemoryRegistry registry;
	static Micro serverSide;
	static Micro clientSide;
	static Server server;
	static Greeter greeter = new Greeter();
	static Listener listener = new Listener();
	static Client client;

	@BeforeAll
	static void start() throws Exception {
		registry = new MemoryRegistry();
		serverSide = Micro.builder().registry(registry).build();
		clientSide = Micro.builder().registry(registry).build();
		server = serverSide.newServer(ServerOptions.named(SERVICE));
		server.handle(greeter);
		server.subscribe("events", listener, null);
		server.start();
		client = clientSide.client();
	}

	@AfterAll
	static void stop() {
		clientSide.close();
		serverSide.close();
		registry.close();
	}

	@Test
	void unaryCall() {
		Reply r = client.call(new Request(SERVICE, "Greeter.Hello", new Hello("John")), Reply.class, null);
		assertEquals("Hello John", r.msg());
		RawBody raw = client.call(new Request(SERVICE, "Greeter.Hello", RawBody.of("{\"name\":\"Raw\"}")), RawBody.class,
				null);
		assertTrue(raw.utf8().contains("\"msg\":\"Hello Raw\""), raw.utf8());
	}

	@Test
	void metadataTravelsTitleCased() {
		CallOptions o = CallOptions.DEFAULTS.withMetadata(new Metadata().put("x-trace-id", "t-1"));
		Reply r = client.call(new Request(SERVICE, "Greeter.Whoami", new Hello("x")), Reply.class, o);
		assertEquals("t-1|application/json", r.msg());
	}

	@Test
	void unknownServiceIsNotFound() {
		MicroError e = assertThrows(MicroError.class,
				() -> client.call(new Request("go.micro.srv.nobody", "A.B", new Hello("x")), Reply.class, null));
		assertEquals(500, e.code());
		assertEquals("go.micro.client", e.id());
		assertEquals("service go.micro.srv.nobody: not found", e.detail());
	}

	@Test
	void remoteErrorsComeBackAsTheyWereSent() {
		MicroError e = assertThrows(MicroError.class,
				() -> client.call(new Request(SERVICE, "Greeter.Bad", new Hello("x")), Reply.class, null));
		assertEquals(400, e.code());
		assertEquals("go.micro.srv.greeter", e.id());
		assertEquals("no", e.detail());
		assertEquals(1, greeter.badCalls.get(), "a 400 is not retried");

		MicroError routing = assertThrows(MicroError.class,
				() -> client.call(new Request(SERVICE, "Nope.Call", new Hello("x")), Reply.class, null));
		assertTrue(routing.detail().contains("can't find service Nope"), routing.detail());
	}

	@Test
	void retriesOn500() {
		greeter.flaky.set(0);
		Reply r = client.call(new Request(SERVICE, "Greeter.Flaky", new Hello("x")), Reply.class, null);
		assertEquals("second time lucky", r.msg());
		greeter.flaky.set(0);
		MicroError e = assertThrows(MicroError.class, () -> client.call(new Request(SERVICE, "Greeter.Flaky",
				new Hello("x")), Reply.class, CallOptions.DEFAULTS.withRetries(0)));
		assertEquals(500, e.code());
		assertEquals("try again", e.detail());
	}

	@Test
	void timesOut() {
		long start = System.nanoTime();
		MicroError e = assertThrows(MicroError.class, () -> client.call(new Request(SERVICE, "Greeter.Slow",
				new Hello("x")), Reply.class, CallOptions.DEFAULTS.withTimeout(Duration.ofMillis(300))));
		long ms = (System.nanoTime() - start) / 1_000_000;
		assertEquals(408, e.code());
		assertEquals("go.micro.client", e.id());
		assertEquals("call timeout: context deadline exceeded", e.detail());
		assertTrue(ms < 1500, "took " + ms + " ms");
	}

	@Test
	void serverStream() {
		try (ClientStream s = client.stream(new Request(SERVICE, "Greeter.Count", null), null)) {
			// the first message (the request's body) is discarded by the server: the request goes with send
			s.send(new Count(3));
			assertEquals("n1", s.recv(Reply.class).msg());
			assertEquals("n2", s.recv(Reply.class).msg());
			assertEquals("n3", s.recv(Reply.class).msg());
			assertNull(s.recv(Reply.class), "EOS");
			assertNull(s.recv(Reply.class));
		}
	}

	@Test
	void bidirectionalStream() {
		try (ClientStream s = client.stream(new Request(SERVICE, "Greeter.Echo", new Hello("ignored")), null)) {
			s.send(new Hello("a"));
			assertEquals("a", s.recv(Reply.class).msg());
			s.send(new Hello("b"));
			assertEquals("b", s.recv(Reply.class).msg());
			s.closeSend();
			assertNull(s.recv(Reply.class));
		}
	}

	@Test
	void publishReachesTheSubscriberThroughTheHttpBroker() throws Exception {
		client.publish("events", new Event("created"), null, null);
		Event e = listener.events.poll(10, TimeUnit.SECONDS);
		assertEquals(new Event("created"), e);
		List<Service> subs = registry.getService("micro.http.broker");
		assertEquals("ff.http.broadcast", subs.get(0).version());
	}

	@Test
	void callsByAddressAndThroughAProxy() throws Exception {
		String address = server.address();
		Reply direct = client.call(new Request("any.name", "Greeter.Hello", new Hello("direct")), Reply.class,
				CallOptions.DEFAULTS.withAddress(address));
		assertEquals("Hello direct", direct.msg());

		try (Micro proxied = Micro.builder().registry(registry)
				.config(MicroConfig.of(Map.of(MicroConfig.PROXY, address))).build()) {
			Reply r = proxied.client().call(new Request("go.micro.srv.elsewhere", "Greeter.Hello", new Hello("proxy")),
					Reply.class, null);
			assertEquals("Hello proxy", r.msg());
		}
		try (Micro named = Micro.builder().registry(registry)
				.config(MicroConfig.of(Map.of(MicroConfig.PROXY, SERVICE))).build()) {
			Reply r = named.client().call(new Request("go.micro.srv.elsewhere", "Greeter.Hello", new Hello("named")),
					Reply.class, null);
			assertEquals("Hello named", r.msg());
		}
	}

	@Test
	void aNodeWithoutProtocolGetsTheLegacyCodec() throws Exception {
		registry.register(new Service("go.micro.srv.old", "1", null, null,
				List.of(new Node("go.micro.srv.old-1", server.address(), Map.of()))), Duration.ofMinutes(1));
		Reply r = client.call(new Request("go.micro.srv.old", "Greeter.Whoami", new Hello("x")), Reply.class, null);
		assertEquals("null|application/json-rpc", r.msg());
	}

	@Test
	void dialFailureIsAConnectionError() throws Exception {
		int port;
		try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			port = s.getLocalPort();
		}
		MicroError e = assertThrows(MicroError.class, () -> client.call(new Request(SERVICE, "Greeter.Hello",
				new Hello("x")), Reply.class, CallOptions.DEFAULTS.withAddress("127.0.0.1:" + port).withRetries(0)));
		assertEquals(500, e.code());
		assertTrue(e.detail().startsWith("connection error: "), e.detail());
	}

	@Test
	void theBuilderNamesWhatIsMissing() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Micro.builder().build());
		assertTrue(e.getMessage().contains("registry \"mdns\""), e.getMessage());
		IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> Micro.builder()
				.config(MicroConfig.of(Map.of("registry", "memory", "transport", "nats"))).build());
		assertTrue(t.getMessage().contains("transport \"nats\""), t.getMessage());
		try (Micro memory = Micro.builder().config(MicroConfig.of(Map.of("registry", "memory"))).build()) {
			assertEquals("memory", memory.registry().name());
			assertEquals("http", memory.broker().name());
		}
	}

	@Test
	void publishWithoutABrokerFailsClearly() {
		try (Micro none = Micro.builder().registry(registry).withoutBroker().build()) {
			MicroError e = assertThrows(MicroError.class, () -> none.client().publish("events", new Event("x"), null, null));
			assertTrue(e.detail().contains("no broker"), e.detail());
		}
	}
}
