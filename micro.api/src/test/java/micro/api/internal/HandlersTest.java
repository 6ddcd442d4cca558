package micro.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.sun.net.httpserver.HttpServer;

import micro.api.ApiResponse;
import micro.api.proto.Event;
import micro.api.proto.Pair;
import micro.api.proto.Request;
import micro.api.proto.Response;
import micro.broker.BrokerMessage;
import micro.registry.Node;
import micro.registry.Service;
import micro.server.Server;
import micro.server.ServerOptions;

/** The api, event, http and plugin handlers, endpoint-metadata routing and graceful shutdown, end to end. */
class HandlersTest {
	static Backends backends;
	static HttpServer web;

	/** A service written for the api handler: go.api.Request in, go.api.Response out. */
	public static final class Echo {
		public Response Call(Request req) {
			String x = req.get().containsKey("x") ? req.get().get("x").values().get(0) : "";
			String a = req.header().containsKey("X-A") ? req.header().get("X-A").values().get(0) : "";
			String summary = req.method() + " " + req.path() + " x=" + x + " a=" + a + " body=" + req.body() + " url="
					+ req.url() + " post=" + (req.post().containsKey("f") ? req.post().get("f").values() : "-");
			return new Response(201, Map.of("X-Echo", new Pair("X-Echo", List.of(summary))), "{\"ok\":true}");
		}
	}

	public record UserQuery(String id, String verbose) {
	}

	public record Search(String term, Map<String, Object> filter) {
	}

	public static final class Users {
		public UserQuery Get(UserQuery q) {
			return q;
		}

		public Search Find(Search s) {
			return s;
		}
	}

	@BeforeAll
	static void start() throws Exception {
		backends = new Backends();
		backends.serve("go.micro.api.echo", new Echo());
		backends.serve("go.micro.srv.users", null, new Users(), Map.of(
				"Get", Map.of("endpoint", "Users.Get", "handler", "rpc", "method", "GET", "path", "/v1/users/{id}"),
				"Find", Map.of("endpoint", "Users.Find", "handler", "rpc", "method", "POST,PUT", "path",
						"^/v1/find/[a-z]+$", "body", "filter")));
		web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		web.createContext("/", exchange -> {
			String uri = exchange.getRequestURI().toString();
			byte[] in = exchange.getRequestBody().readAllBytes();
			if (uri.contains("/slow")) {
				try {
					Thread.sleep(2000);
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			}
			byte[] out = ("backend " + exchange.getRequestMethod() + " " + uri + " " + in.length).getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("X-Backend", "1");
			exchange.sendResponseHeaders(200, out.length);
			try (OutputStream o = exchange.getResponseBody()) {
				o.write(out);
			} catch (IOException gone) {
				// the gateway gave up on the slow request
			}
		});
		web.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
		web.start();
		register("go.micro.api.web1", "127.0.0.1:" + web.getAddress().getPort());
	}

	static void register(String name, String address) throws Exception {
		backends.micro.registry().register(new Service(name, "latest", Map.of(), List.of(),
				List.of(new Node(name + "-1", address, Map.of()))), Duration.ofMinutes(1));
	}

	@AfterAll
	static void stop() {
		web.stop(0);
		backends.close();
	}

	@Test
	void apiHandlerSendsTheWholeRequest() throws Exception {
		ApiGateway g = backends.gateway(Map.of(ApiOptions.API_HANDLER, "api"));
		try {
			HttpResponse<String> r = backends.send(HttpRequest.newBuilder(Backends.uri(g, "/echo/call?x=1"))
					.header("Content-Type", "text/plain").header("X-A", "b")
					.POST(HttpRequest.BodyPublishers.ofString("hello")).build());
			assertEquals(201, r.statusCode(), r.body());
			assertEquals("{\"ok\":true}", r.body());
			assertEquals("POST /echo/call x=1 a=b body=hello url=/echo/call?x=1 post=-",
					r.headers().firstValue("X-Echo").orElse(""));
			assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
			// a form: fields in post, no body
			HttpResponse<String> form = backends.post(g, "/echo", "application/x-www-form-urlencoded", "f=v1&f=v2");
			assertEquals("POST /echo x= a= body= url=/echo post=[v1, v2]", form.headers().firstValue("X-Echo").orElse(""));
			// unknown service
			assertEquals(500, backends.post(g, "/nothing", "text/plain", "").statusCode());
		} finally {
			g.stop();
		}
	}

	/** A Java subscriber of the event handler's topic that takes the go.api.Event record. */
	public static final class Orders {
		final BlockingQueue<Event> received = new LinkedBlockingQueue<>();

		public void Created(Event e) {
			received.add(e);
		}
	}

	@Test
	void eventHandlerPublishesProtobuf() throws Exception {
		BlockingQueue<BrokerMessage> got = new LinkedBlockingQueue<>();
		var sub = backends.micro.broker().subscribe("go.micro.api.orders", null, (topic, m) -> got.add(m));
		Orders orders = new Orders();
		Server listener = backends.micro.newServer(ServerOptions.named("go.micro.srv.orders"));
		listener.subscribe("go.micro.api.orders", orders, null);
		listener.start();
		ApiGateway g = backends.gateway(Map.of(ApiOptions.API_HANDLER, "event"));
		try {
			HttpResponse<String> r = backends.send(HttpRequest.newBuilder(Backends.uri(g, "/orders/created/now"))
					.header("Content-Type", "application/json").header("X-Shop", "s1")
					.POST(HttpRequest.BodyPublishers.ofString("{\"id\":7}")).build());
			assertEquals(200, r.statusCode(), r.body());
			assertEquals("", r.body());
			BrokerMessage m = got.poll(5, TimeUnit.SECONDS);
			assertNotNull(m, "no event arrived");
			assertEquals("application/protobuf", m.header().get("Content-Type"));
			// decoded as go-micro decodes it: the go.api.Event message of api.proto, not this module's record
			DynamicMessage ev = DynamicMessage.parseFrom(GO_API_EVENT, m.body());
			assertEquals("created.now", field(ev, "name"));
			assertEquals("{\"id\":7}", field(ev, "data"));
			assertTrue(field(ev, "id").toString().startsWith("go.micro.api.orders-created.now-"), ev.toString());
			assertTrue(Math.abs((Long) field(ev, "timestamp") - System.currentTimeMillis() / 1000) < 60);
			assertEquals(List.of("s1"), header(ev, "X-Shop"));
			assertEquals(0, ev.getUnknownFields().asMap().size());
			// a Java subscriber taking the record gets the same event
			Event received = orders.received.poll(5, TimeUnit.SECONDS);
			assertNotNull(received, "the Java subscriber got nothing");
			assertEquals("created.now", received.name());
			assertEquals(field(ev, "id"), received.id());
			assertEquals(new Pair("X-Shop", List.of("s1")), received.header().get("X-Shop"));
			// GET: the query is the data
			assertEquals(200, backends.get(g, "/orders?since=3").statusCode());
			DynamicMessage ev2 = DynamicMessage.parseFrom(GO_API_EVENT, got.poll(5, TimeUnit.SECONDS).body());
			assertEquals("", field(ev2, "name"));
			assertEquals("{\"since\":[\"3\"]}", field(ev2, "data"));
			assertEquals("{\"since\":[\"3\"]}", orders.received.poll(5, TimeUnit.SECONDS).data());
		} finally {
			g.stop();
			listener.stop();
			sub.close();
		}
	}

	/** go.api.Event and go.api.Pair as gm:api/proto/api.proto declares them (§2.7), built here independently. */
	static final Descriptors.Descriptor GO_API_EVENT = goApiEvent();

	private static Descriptors.Descriptor goApiEvent() {
		FieldDescriptorProto.Type string = FieldDescriptorProto.Type.TYPE_STRING;
		DescriptorProto pair = DescriptorProto.newBuilder().setName("Pair").addField(protoField("key", 1, string, null))
				.addField(protoField("values", 2, string, null).setLabel(FieldDescriptorProto.Label.LABEL_REPEATED)).build();
		DescriptorProto headerEntry = DescriptorProto.newBuilder().setName("HeaderEntry")
				.setOptions(DescriptorProtos.MessageOptions.newBuilder().setMapEntry(true))
				.addField(protoField("key", 1, string, null))
				.addField(protoField("value", 2, FieldDescriptorProto.Type.TYPE_MESSAGE, ".go.api.Pair")).build();
		DescriptorProto event = DescriptorProto.newBuilder().setName("Event").addNestedType(headerEntry)
				.addField(protoField("name", 1, string, null)).addField(protoField("id", 2, string, null))
				.addField(protoField("timestamp", 3, FieldDescriptorProto.Type.TYPE_INT64, null))
				.addField(protoField("header", 4, FieldDescriptorProto.Type.TYPE_MESSAGE, ".go.api.Event.HeaderEntry")
						.setLabel(FieldDescriptorProto.Label.LABEL_REPEATED))
				.addField(protoField("data", 5, string, null)).build();
		FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("api.proto").setPackage("go.api")
				.setSyntax("proto3").addMessageType(pair).addMessageType(event).build();
		try {
			return Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[0])
					.findMessageTypeByName("Event");
		} catch (Descriptors.DescriptorValidationException e) {
			throw new IllegalStateException(e);
		}
	}

	private static FieldDescriptorProto.Builder protoField(String name, int number, FieldDescriptorProto.Type type,
			String typeName) {
		FieldDescriptorProto.Builder f = FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
				.setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL);
		return typeName == null ? f : f.setTypeName(typeName);
	}

	private static Object field(DynamicMessage m, String name) {
		return m.getField(m.getDescriptorForType().findFieldByName(name));
	}

	/** The values of one header of a decoded go.api.Event. */
	private static List<?> header(DynamicMessage event, String name) {
		for (Object o : (List<?>) field(event, "header")) {
			DynamicMessage entry = (DynamicMessage) o;
			if (name.equals(field(entry, "key"))) {
				DynamicMessage pair = (DynamicMessage) field(entry, "value");
				assertEquals(name, field(pair, "key"));
				return (List<?>) field(pair, "values");
			}
		}
		return null;
	}

	@Test
	void httpHandlerProxiesTheFullPath() throws Exception {
		ApiGateway g = backends.gateway(Map.of(ApiOptions.API_HANDLER, "http", ApiOptions.API_MAX_BODY, "1KiB"));
		try {
			HttpResponse<String> r = backends.get(g, "/web1/some/path?x=1&y=%20");
			assertEquals(200, r.statusCode(), r.body());
			assertEquals("backend GET /web1/some/path?x=1&y=%20 0", r.body());
			assertEquals("1", r.headers().firstValue("X-Backend").orElse(""));
			assertEquals("backend POST /web1/form 5", backends.post(g, "/web1/form", "text/plain", "hello").body());
			// versioned path: service v1.web1 is not registered
			assertEquals(500, backends.get(g, "/v1/web1/x").statusCode());
			// too large, declared and chunked
			String big = "x".repeat(5000);
			assertEquals(413, backends.post(g, "/web1/big", "text/plain", big).statusCode());
			HttpResponse<String> chunked = backends.send(HttpRequest.newBuilder(Backends.uri(g, "/web1/big"))
					.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())))
					.build());
			assertEquals(413, chunked.statusCode(), chunked.body());
			// a slow backend and the Timeout header
			long t0 = System.nanoTime();
			HttpResponse<String> slow = backends.send(HttpRequest.newBuilder(Backends.uri(g, "/web1/slow"))
					.header("Timeout", "1").GET().build());
			assertEquals(504, slow.statusCode(), slow.body());
			assertEquals("application/json", slow.headers().firstValue("Content-Type").orElse(""));
			assertTrue((System.nanoTime() - t0) / 1_000_000 < 1900);
			// a node nobody listens on
			int closed;
			try (ServerSocket s = new ServerSocket(0)) {
				closed = s.getLocalPort();
			}
			register("go.micro.api.gone", "127.0.0.1:" + closed);
			HttpResponse<String> gone = backends.get(g, "/gone/x");
			assertEquals(502, gone.statusCode(), gone.body());
			assertTrue(gone.body().contains("backend unreachable"), gone.body());
			// still serving
			assertEquals(200, backends.get(g, "/web1/ok").statusCode());
		} finally {
			g.stop();
		}
	}

	@Test
	void endpointMetadataRoutes() throws Exception {
		ApiGateway g = backends.gateway(Map.of());
		try {
			HttpResponse<String> r = eventually(() -> backends.get(g, "/v1/users/42?verbose=yes"));
			assertEquals("{\"id\":\"42\",\"verbose\":\"yes\"}", r.body());
			// a regex path, the body under the endpoint's body field
			HttpResponse<String> find = backends.post(g, "/v1/find/abc?term=t", "application/json", "{\"max\":3}");
			assertEquals(200, find.statusCode(), find.body());
			assertEquals("{\"term\":\"t\",\"filter\":{\"max\":3}}", find.body());
			// the method must be listed: DELETE falls through to the resolver (service go.micro.api.v1.find)
			assertEquals(500, backends.send(HttpRequest.newBuilder(Backends.uri(g, "/v1/find/abc")).DELETE().build())
					.statusCode());
		} finally {
			g.stop();
		}
	}

	@Test
	void pluginHandlersByName() throws Exception {
		ApiGateway g = backends.gateway(Map.of(ApiOptions.API_HANDLER, "shout"));
		try {
			// not installed yet: the gateway falls back to meta
			assertEquals(500, backends.get(g, "/users/x").statusCode());
			g.addHandler("shout", (request, route, context) -> ApiResponse.of(200, "text/plain",
					(route.service() + " " + route.endpoint() + " " + request.bodyUtf8().toUpperCase()).getBytes()));
			HttpResponse<String> r = backends.post(g, "/echo/call", "text/plain", "hi");
			assertEquals("go.micro.api.echo Echo.Call HI", r.body());
			assertEquals("text/plain", r.headers().firstValue("Content-Type").orElse(""));
			// errors a plugin throws are JSON
			g.addHandler("shout", (request, route, context) -> {
				throw micro.errors.MicroError.of("plugin", 418, "teapot");
			});
			HttpResponse<String> e = backends.post(g, "/echo/call", "text/plain", "hi");
			assertEquals(418, e.statusCode());
			assertTrue(e.body().contains("teapot"));
		} finally {
			g.stop();
		}
	}

	@Test
	void gracefulShutdownFinishesRequestsInFlight() throws Exception {
		backends.serve("go.micro.api.sleepy", "Sleepy", new Backends.Greeter(), Map.of());
		ApiGateway g = backends.gateway(Map.of());
		CompletableFuture<HttpResponse<String>> inFlight = backends.http.sendAsync(
				HttpRequest.newBuilder(Backends.uri(g, "/sleepy/sleep")).header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString("{\"millis\":800}")).build(),
				HttpResponse.BodyHandlers.ofString());
		Thread.sleep(300);
		g.stop();
		HttpResponse<String> r = inFlight.get(5, TimeUnit.SECONDS);
		assertEquals(200, r.statusCode(), r.body());
		assertEquals("{\"msg\":\"slept 800\"}", r.body());
	}

	interface Call {
		HttpResponse<String> run() throws Exception;
	}

	/** The router learns of services in the background: retry for up to 3 s until 200. */
	static HttpResponse<String> eventually(Call call) throws Exception {
		long end = System.nanoTime() + 3_000_000_000L;
		HttpResponse<String> r = call.run();
		while (r.statusCode() != 200 && System.nanoTime() < end) {
			Thread.sleep(50);
			r = call.run();
		}
		assertEquals(200, r.statusCode(), r.body());
		return r;
	}
}
