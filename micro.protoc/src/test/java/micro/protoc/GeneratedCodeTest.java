package micro.protoc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.protobuf.Empty;

import micro.client.CallOptions;
import micro.config.MicroConfig;
import micro.errors.MicroError;
import micro.protoc.legacy.LegacyClient;
import micro.protoc.legacy.LegacyHandler;
import micro.protoc.legacy.LegacyOuterClass;
import micro.protoc.sample.Count;
import micro.protoc.sample.CountReply;
import micro.protoc.sample.CountRequest;
import micro.protoc.sample.GreeterClient;
import micro.protoc.sample.GreeterHandler;
import micro.protoc.sample.HelloReply;
import micro.protoc.sample.HelloRequest;
import micro.protoc.sample.Status;
import micro.registry.Endpoint;
import micro.registry.Service;
import micro.registry.internal.MemoryRegistry;
import micro.runtime.Micro;
import micro.server.Context;
import micro.server.Server;
import micro.server.ServerOptions;
import micro.server.ServerStream;

/**
 * The golden files as a user has them: a handler implementing the generated interface, served by a real server
 * (registered without a name, as the whiteboard does) and called through the generated clients over 127.0.0.1.
 */
class GeneratedCodeTest {
	/** A user's implementation: the class name is not the endpoint type; the interface names it. */
	static final class GreeterImpl implements GreeterHandler {
		@Override
		public HelloReply Hello(Context context, HelloRequest request) {
			if (request.getName().isEmpty()) {
				throw MicroError.badRequest("go.micro.srv.greeter", "no name");
			}
			return HelloReply.newBuilder().setMsg("Hello " + request.getName() + " via " + context.endpoint()).build();
		}

		@Override
		public HelloReply Lookup(Context context, HelloRequest request) {
			return HelloReply.newBuilder().setMsg("found " + request.getName()).build();
		}

		@Override
		public void Countdown(Context context, CountRequest request, ServerStream stream) {
			for (long i = request.getCount(); i > 0; i--) {
				stream.send(Count.newBuilder().setValue(i).build());
			}
		}

		@Override
		public void Total(Context context, ServerStream stream) {
			long total = 0;
			for (Count c; (c = stream.recv(Count.class)) != null;) {
				total += c.getValue();
			}
			stream.send(CountReply.newBuilder().setTotal(total).build());
		}

		@Override
		public void Chat(Context context, ServerStream stream) {
			for (HelloRequest r; (r = stream.recv(HelloRequest.class)) != null;) {
				stream.send(HelloReply.newBuilder().setMsg("re: " + r.getName()).build());
			}
		}

		@Override
		public Status GetStatus(Context context, Empty request) {
			return Status.newBuilder().setServing(true).build();
		}
	}

	static final class LegacyImpl implements LegacyHandler {
		@Override
		public LegacyOuterClass.Request.Reply Call(Context context, LegacyOuterClass.Request request) {
			return LegacyOuterClass.Request.Reply.newBuilder().setText(request.getText().toUpperCase()).build();
		}

		@Override
		public void New(Context context, LegacyOuterClass.Context request, ServerStream stream) {
			stream.send(LegacyOuterClass.Request.Reply.newBuilder().setText("new " + request.getId()).build());
		}
	}

	private static Micro micro;
	private static Server greeter;
	private static Server legacy;
	private static GreeterClient client;

	@BeforeAll
	static void start() throws Exception {
		micro = Micro.builder().config(MicroConfig.of(Map.of(MicroConfig.REGISTRY, "memory")))
				.registry(new MemoryRegistry()).withoutBroker().build();
		greeter = micro.newServer(ServerOptions.named(GreeterClient.DEFAULT_SERVICE));
		greeter.handle(new GreeterImpl());
		greeter.start();
		legacy = micro.newServer(ServerOptions.named(LegacyClient.DEFAULT_SERVICE));
		legacy.handle(null, new LegacyImpl(), Map.of());
		legacy.start();
		client = new GreeterClient(micro.client());
	}

	@AfterAll
	static void stop() {
		for (Server s : new Server[] { greeter, legacy }) {
			if (s != null) {
				s.stop();
			}
		}
		if (micro != null) {
			micro.close();
		}
	}

	@Test
	void endpointsAreNamedByTheProtoServiceAndCarryTheHttpRoutes() throws Exception {
		Service service = micro.registry().getService(GreeterClient.DEFAULT_SERVICE).get(0);
		Map<String, Endpoint> endpoints = new java.util.TreeMap<>();
		for (Endpoint e : service.endpoints()) {
			endpoints.put(e.name(), e);
		}
		assertEquals(List.of("Greeter.Chat", "Greeter.Countdown", "Greeter.GetStatus", "Greeter.Hello",
				"Greeter.Lookup", "Greeter.Total"), List.copyOf(endpoints.keySet()));
		assertEquals(Map.of("endpoint", "Greeter.Hello", "handler", "rpc", "method", "POST", "path", "/v1/greeter/hello"),
				endpoints.get("Greeter.Hello").metadata());
		assertEquals("/v1/greeter/{name}", endpoints.get("Greeter.Lookup").metadata().get("path"));
		assertEquals("GET", endpoints.get("Greeter.Lookup").metadata().get("method"));
		// the custom pattern's kind is the method; the server marks streams itself
		assertEquals(Map.of("endpoint", "Greeter.Chat", "handler", "rpc", "method", "GET", "path", "/v1/greeter/chat",
				"stream", "true"), endpoints.get("Greeter.Chat").metadata());
		assertEquals(Map.of(), endpoints.get("Greeter.GetStatus").metadata());
		assertEquals("HelloRequest", endpoints.get("Greeter.Hello").request().name());
	}

	@Test
	void unaryCalls() {
		assertEquals("Hello John via Greeter.Hello",
				client.hello(HelloRequest.newBuilder().setName("John").build()).getMsg());
		assertEquals("found x", client.lookup(HelloRequest.newBuilder().setName("x").build()).getMsg());
		assertTrue(client.getStatus(Empty.getDefaultInstance()).getServing());
		MicroError e = assertThrows(MicroError.class, () -> client.hello(HelloRequest.getDefaultInstance()));
		assertEquals(400, e.code());
		assertEquals("no name", e.detail());
	}

	@Test
	void serverStreamGetsTheRequestDespiteTheDiscardedFirstMessage() {
		List<Long> values = new ArrayList<>();
		try (GreeterClient.CountdownStream stream = client.countdown(CountRequest.newBuilder().setCount(3).build())) {
			for (Count c; (c = stream.recv()) != null;) {
				values.add(c.getValue());
			}
		}
		assertEquals(List.of(3L, 2L, 1L), values);
	}

	@Test
	void clientStreamSumsWhatWasSent() {
		try (GreeterClient.TotalStream stream = client.total()) {
			for (long i = 1; i <= 4; i++) {
				stream.send(Count.newBuilder().setValue(i).build());
			}
			assertEquals(10, stream.closeAndRecv().getTotal());
		}
	}

	@Test
	void bidirectionalStream() {
		try (GreeterClient.ChatStream stream = client.chat()) {
			stream.send(HelloRequest.newBuilder().setName("a").build());
			assertEquals("re: a", stream.recv().getMsg());
			stream.send(HelloRequest.newBuilder().setName("b").build());
			assertEquals("re: b", stream.recv().getMsg());
			stream.closeSend();
			assertNull(stream.recv());
		}
	}

	@Test
	void nestedTypesKeywordMethodNamesAndNamesThatCollideWithMicrosOwn() {
		LegacyClient legacyClient = new LegacyClient(micro.client());
		assertEquals("HI", legacyClient.call(LegacyOuterClass.Request.newBuilder().setText("hi").build()).getText());
		try (LegacyClient.NewStream stream = legacyClient.new_(LegacyOuterClass.Context.newBuilder().setId("7").build())) {
			assertEquals("new 7", stream.recv().getText());
			assertNull(stream.recv());
		}
	}

	@Test
	void aClientNeedsAClientAndAServiceName() {
		assertThrows(IllegalArgumentException.class, () -> new GreeterClient(null));
		assertThrows(IllegalArgumentException.class,
				() -> new GreeterClient(micro.client(), " ", CallOptions.DEFAULTS));
		assertEquals("other", new GreeterClient(micro.client(), "other", null).service());
	}
}
