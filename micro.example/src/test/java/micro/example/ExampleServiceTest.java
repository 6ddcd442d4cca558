package micro.example;

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

import micro.client.CallOptions;
import micro.client.Client;
import micro.client.ClientStream;
import micro.config.MicroConfig;
import micro.errors.MicroError;
import micro.example.proto.Message;
import micro.example.proto.Ping;
import micro.example.proto.Pong;
import micro.example.proto.Request;
import micro.example.proto.Response;
import micro.example.proto.StreamingRequest;
import micro.example.proto.StreamingResponse;
import micro.example.subscriber.MessageLog;
import micro.registry.Endpoint;
import micro.registry.Service;
import micro.registry.internal.MemoryRegistry;
import micro.runtime.Micro;
import micro.server.Server;

/** The service as Main runs it, on a MemoryRegistry, called through the real client over 127.0.0.1. */
class ExampleServiceTest {
	private static final String NAME = ExampleService.NAME;
	private static final CallOptions OPTIONS = CallOptions.DEFAULTS;

	private static Micro micro;
	private static Server server;
	private static final MessageLog LOG = new MessageLog();

	@BeforeAll
	static void start() throws Exception {
		micro = Micro.builder().config(MicroConfig.of(Map.of(MicroConfig.REGISTRY, "memory")))
				.registry(new MemoryRegistry()).build();
		server = Main.serve(micro, LOG);
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.stop();
		}
		if (micro != null) {
			micro.close();
		}
	}

	private static Client client() {
		return micro.client();
	}

	@Test
	void callGreets() {
		Response response = client().call(new micro.client.Request(NAME, "Example.Call", new Request("John")),
				Response.class, OPTIONS);
		assertEquals(new Response("Hello John"), response);
	}

	@Test
	void streamSendsTheCountAskedFor() {
		List<StreamingResponse> received = new ArrayList<>();
		// the MUCP server discards the first stream message's body, so the request goes with send (as micro stream does)
		try (ClientStream stream = client().stream(new micro.client.Request(NAME, "Example.Stream", null), OPTIONS)) {
			stream.send(new StreamingRequest(5));
			StreamingResponse r;
			while ((r = stream.recv(StreamingResponse.class)) != null) {
				received.add(r);
			}
		}
		assertEquals(List.of(new StreamingResponse(0), new StreamingResponse(1), new StreamingResponse(2),
				new StreamingResponse(3), new StreamingResponse(4)), received);
	}

	@Test
	void aNegativeCountEndsTheStreamWithABadRequest() {
		try (ClientStream stream = client().stream(new micro.client.Request(NAME, "Example.Stream", null), OPTIONS)) {
			stream.send(new StreamingRequest(-3));
			MicroError e = assertThrows(MicroError.class, () -> stream.recv(StreamingResponse.class));
			assertEquals(400, e.code());
			assertTrue(e.detail().contains("count must not be negative"), e.detail());
		}
		// the service goes on serving
		assertEquals(new Response("Hello again"), client().call(
				new micro.client.Request(NAME, "Example.Call", new Request("again")), Response.class, OPTIONS));
	}

	@Test
	void pingPongEchoesEachStrokeUntilTheClientCloses() {
		try (ClientStream stream = client().stream(new micro.client.Request(NAME, "Example.PingPong", null),
				OPTIONS)) {
			for (long stroke = 1; stroke <= 10; stroke++) {
				stream.send(new Ping(stroke));
				assertEquals(new Pong(stroke), stream.recv(Pong.class));
			}
			stream.closeSend();
			assertNull(stream.recv(Pong.class));
		}
	}

	@Test
	void theSubscriberReceivesWhatIsPublished() throws Exception {
		long before = LOG.total();
		client().publish(NAME, new Message("hello subscriber"), null, OPTIONS);
		assertTrue(LOG.awaitTotal(before + 1, 10_000), "the subscriber got nothing");
		assertTrue(LOG.messages().contains(new Message("hello subscriber")), LOG.messages().toString());
	}

	@Test
	void anUnknownEndpointIsAClearError() {
		MicroError e = assertThrows(MicroError.class, () -> client().call(
				new micro.client.Request(NAME, "Example.Nope", new Request("x")), Response.class, OPTIONS));
		assertTrue(e.getMessage().contains("Nope"), e.getMessage());
	}

	@Test
	void theRegistryDescribesTheEndpoints() throws Exception {
		List<Service> services = micro.registry().getService(NAME);
		assertEquals(1, services.size());
		Service service = services.get(0);
		assertEquals("latest", service.version());
		List<String> endpoints = service.endpoints().stream().map(Endpoint::name).sorted().toList();
		assertTrue(endpoints.containsAll(List.of("Example.Call", "Example.PingPong", "Example.Stream")), endpoints.toString());
		assertTrue(endpoints.contains("Example.Handle"), endpoints.toString());
		Endpoint call = service.endpoints().stream().filter(e -> e.name().equals("Example.Call")).findFirst().orElseThrow();
		assertEquals("Request", call.request().name());
		assertEquals("name", call.request().values().get(0).name());
		assertEquals("msg", call.response().values().get(0).name());
	}

	@Test
	void theServerNameFlagRenamesTheService() throws Exception {
		try (Micro other = Micro.builder()
				.config(MicroConfig.of(Map.of(MicroConfig.REGISTRY, "memory", MicroConfig.SERVER_NAME, "go.micro.srv.renamed",
						MicroConfig.SERVER_VERSION, "v2")))
				.build()) {
			Server renamed = Main.serve(other, new MessageLog());
			try {
				assertEquals("v2", other.registry().getService("go.micro.srv.renamed").get(0).version());
				assertEquals(new Response("Hello renamed"), other.client().call(
						new micro.client.Request("go.micro.srv.renamed", "Example.Call", new Request("renamed")),
						Response.class, OPTIONS));
			} finally {
				renamed.stop();
			}
		}
	}
}
