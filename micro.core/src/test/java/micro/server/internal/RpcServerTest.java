package micro.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.StringValue;

import micro.broker.BrokerMessage;
import micro.codec.Codec;
import micro.codec.Frame;
import micro.codec.internal.Codecs;
import micro.config.MicroConfig;
import micro.errors.MicroError;
import micro.registry.Endpoint;
import micro.registry.Node;
import micro.registry.Service;
import micro.registry.Value;
import micro.server.Context;
import micro.server.ServerOptions;
import micro.server.ServerStream;
import micro.transport.Message;
import micro.transport.Socket;
import micro.transport.internal.HttpTransport;

class RpcServerTest {
	public record Request(String name) {
	}

	public record Response(String msg) {
	}

	public record Num(int n) {
	}

	public static class Example {
		public Response call(Request r) {
			if ("fail".equals(r.name())) {
				throw new IllegalStateException("boom");
			}
			if ("micro".equals(r.name())) {
				throw MicroError.conflict("go.micro.srv.example", "taken");
			}
			return new Response("Hello " + r.name());
		}

		public StringValue echo(Context ctx, StringValue v) {
			return StringValue.of(v.getValue() + " via " + ctx.endpoint() + " from " + ctx.metadata().get("Micro-From-Service"));
		}

		public Response wait(Request r) throws InterruptedException {
			Thread.sleep(Long.parseLong(r.name()));
			return new Response("waited " + r.name());
		}

		public void count(Request r, ServerStream s) {
			for (int i = 0; i < 3; i++) {
				s.send(new Response(r.name() + i));
			}
		}

		public void sum(ServerStream s) {
			int total = 0;
			for (Num n; (n = s.recv(Num.class)) != null;) {
				total += n.n();
			}
			s.send(new Num(total));
		}

		public void chat(Context ctx, ServerStream s) {
			for (Request r; (r = s.recv(Request.class)) != null;) {
				if (r.name().equals("bye")) {
					throw MicroError.badRequest("chat", "rude");
				}
				s.send(new Response("re: " + r.name()));
			}
		}
	}

	public static class Nulls {
		public Response get(Request ignored) {
			return null;
		}

		public StringValue proto(StringValue ignored) {
			return null;
		}
	}

	/** Answers with the name of the thread that runs it. */
	public static class Threads {
		public Response name(Request ignored) {
			return new Response(Thread.currentThread().getName());
		}
	}

	/** Blocks until the test opens it. */
	public static class Gate {
		final CountDownLatch open = new CountDownLatch(1);

		public Response pass(Request ignored) throws InterruptedException {
			return new Response(open.await(60, TimeUnit.SECONDS) ? "passed" : "gave up");
		}
	}

	public static class Events {
		final List<Object> received = new CopyOnWriteArrayList<>();

		public void handle(Context ctx, Request r) {
			received.add(r.name() + "/" + ctx.metadata().get("X-Custom"));
		}
	}

	private static final String SERVICE = "go.micro.srv.example";
	private final HttpTransport transport = new HttpTransport();
	private final Codecs codecs = new Codecs();
	private final TestRegistry registry = new TestRegistry();
	private final TestBroker broker = new TestBroker();
	private RpcServer server;
	private Socket client;

	@BeforeEach
	void start() throws IOException {
		ServerOptions o = ServerOptions.named(SERVICE).withRegistration(Duration.ofSeconds(30), Duration.ofMillis(200));
		o = new ServerOptions(o.name(), o.version(), o.address(), o.advertise(), Map.of("team", "a"), o.registerTtl(),
				o.registerInterval());
		server = new RpcServer(o, MicroConfig.of(Map.of()), registry, broker, transport, codecs);
		server.handle(new Example());
		server.start();
		client = transport.dial(server.address(), Duration.ofSeconds(2));
		client.setTimeout(Duration.ofSeconds(10));
	}

	@AfterEach
	void stop() {
		client.close();
		server.stop();
	}

	private static Message request(String endpoint, String contentType, String id, byte[] body) {
		Map<String, String> h = new LinkedHashMap<>();
		h.put("Micro-Service", SERVICE);
		h.put("Micro-Endpoint", endpoint);
		h.put("Micro-Method", endpoint);
		h.put("Content-Type", contentType);
		h.put("Accept", contentType);
		h.put("Micro-Id", id);
		h.put("Timeout", "5000000000");
		return new Message(h, body);
	}

	private static byte[] utf8(String s) {
		return s.getBytes(StandardCharsets.UTF_8);
	}

	private static String text(byte[] b) {
		return new String(b, StandardCharsets.UTF_8);
	}

	private Message call(Message m) throws IOException {
		client.send(m);
		return client.recv();
	}

	@Test
	void unaryJson() throws IOException {
		Message r = call(request("Example.Call", "application/json", "1", utf8("{\"name\":\"John\"}")));
		assertNull(r.header("Micro-Error"));
		assertEquals("{\"msg\":\"Hello John\"}", text(r.body()));
		assertEquals("1", r.header("Micro-Id"));
		assertEquals("1", r.header("X-Micro-Id"));
		assertEquals("application/json", r.header("Content-Type"));
		// the same connection serves the next call
		Message again = call(request("Example.Call", "application/json; charset=utf-8", "2", utf8("{\"name\":\"Ann\"}")));
		assertEquals("{\"msg\":\"Hello Ann\"}", text(again.body()));
		assertEquals("2", again.header("Micro-Id"));
	}

	@Test
	void unaryProtobufWithContextMetadata() throws IOException {
		Message m = request("Example.Echo", "application/protobuf", "3", StringValue.of("hi").toByteArray());
		m.header("Micro-From-Service", "go.micro.client");
		Message r = call(m);
		assertNull(r.header("Micro-Error"));
		assertEquals("hi via Example.Echo from go.micro.client", StringValue.parseFrom(r.body()).getValue());
		assertEquals("application/protobuf", r.header("Content-Type"));
	}

	@Test
	void unaryJsonRpcAndProtoRpc() throws IOException {
		Message r = call(request("Example.Call", "application/json-rpc", "4",
				utf8("{\"method\":\"Example.Call\",\"params\":[{\"name\":\"J\"}],\"id\":\"4\"}")));
		assertEquals("{\"id\":\"4\",\"result\":{\"msg\":\"Hello J\"},\"error\":null}\n", text(r.body()));

		Codec protoRpc = codecs.get("application/proto-rpc");
		byte[] body = protoRpc.encode(new Frame(Frame.Kind.REQUEST).endpoint("Example.Echo").id("5"), StringValue.of("pr"));
		Message p = call(request("Example.Echo", "application/proto-rpc", "5", body));
		Frame f = new Frame(Frame.Kind.RESPONSE);
		byte[] inner = protoRpc.decodeEnvelope(f, p.body());
		assertEquals("5", f.id());
		assertEquals("", f.error());
		assertEquals("pr via Example.Echo from null", ((StringValue) protoRpc.decodeBody(inner, StringValue.class)).getValue());
	}

	@Test
	void legacyClientsWithoutServiceHeadersGetTheRpcCodecs() throws IOException {
		Message m = new Message(Map.of("Content-Type", "application/json", "Micro-Id", "9"),
				utf8("{\"method\":\"Example.Call\",\"params\":[{\"name\":\"old\"}],\"id\":9}"));
		Message r = call(m);
		assertNull(r.header("Micro-Error"));
		assertEquals("{\"id\":\"9\",\"result\":{\"msg\":\"Hello old\"},\"error\":null}\n", text(r.body()));
	}

	@Test
	void routingAndHandlerErrors() throws IOException {
		Message unknownService = call(request("Foo.Bar", "application/json", "1", utf8("{}")));
		assertEquals("rpc: can't find service Foo", unknownService.header("Micro-Error"));
		assertEquals("rpc: can't find service Foo", unknownService.header("X-Micro-Error"));
		assertEquals(0, unknownService.body().length);

		Message nope = request("Example.Nope", "application/json", "2", utf8("{}"));
		nope.header("X-Trace", "t-2");
		Message unknownMethod = call(nope);
		assertEquals("rpc: can't find method Nope", unknownMethod.header("Micro-Error"));
		// error frames carry the request's headers, as go-micro's do
		assertEquals("t-2", unknownMethod.header("X-Trace"));
		assertEquals("2", unknownMethod.header("Micro-Id"));

		MicroError boom = MicroError.parse(call(request("Example.Call", "application/json", "3",
				utf8("{\"name\":\"fail\"}"))).header("Micro-Error"));
		assertEquals(500, boom.code());
		assertEquals(SERVICE, boom.id());
		assertEquals("boom", boom.detail());
		assertEquals("Internal Server Error", boom.status());

		MicroError own = MicroError.parse(call(request("Example.Call", "application/json", "4",
				utf8("{\"name\":\"micro\"}"))).header("Micro-Error"));
		assertEquals(409, own.code());
		assertEquals("taken", own.detail());

		Message malformed = call(request("Example.Call", "application/json", "5", utf8("{\"name\":")));
		MicroError bad = MicroError.parse(malformed.header("Micro-Error"));
		assertEquals(400, bad.code());
		assertTrue(bad.detail().startsWith("invalid JSON body"), bad.detail());
		assertEquals("5", malformed.header("Micro-Id"));

		Message unsupported = call(request("Example.Call", "text/xml", "6", utf8("<a/>")));
		assertEquals("text/plain", unsupported.header("Content-Type"));
		assertEquals("Unsupported Content-Type: text/xml", text(unsupported.body()));

		Message rpcError = call(request("Example.Call", "application/json-rpc", "7", utf8("[1,2]")));
		assertEquals(400, MicroError.parse(rpcError.header("Micro-Error")).code());

		// still serving on the same connection
		assertEquals("{\"msg\":\"Hello ok\"}", text(call(request("Example.Call", "application/json", "8",
				utf8("{\"name\":\"ok\"}"))).body()));
	}

	@Test
	void requestsOnOneConnectionRunConcurrently() throws Exception {
		client.send(request("Example.Wait", "application/json", "slow", utf8("{\"name\":\"1500\"}")));
		client.send(request("Example.Call", "application/json", "fast", utf8("{\"name\":\"quick\"}")));
		assertEquals("fast", client.recv().header("Micro-Id"));
		assertEquals("slow", client.recv().header("Micro-Id"));
		// the slow handler ran on the reading thread, so a worker took over the reading: the connection goes on
		assertEquals("{\"msg\":\"Hello again\"}", text(call(request("Example.Call", "application/json", "again",
				utf8("{\"name\":\"again\"}"))).body()));
		assertTrue(aThreadAwaitsAConnectionsEnd(), "the transport's thread waits for the connection to end");
		client.close();
		long until = System.nanoTime() + 5_000_000_000L;
		while (aThreadAwaitsAConnectionsEnd() && System.nanoTime() < until) {
			Thread.sleep(20);
		}
		assertFalse(aThreadAwaitsAConnectionsEnd(), "once closed, the connection holds no thread");
	}

	private static boolean aThreadAwaitsAConnectionsEnd() {
		return Thread.getAllStackTraces().values().stream().flatMap(Arrays::stream)
				.anyMatch(f -> f.getClassName().equals(Connection.class.getName()) && f.getMethodName().equals("awaitEnd"));
	}

	@Test
	void aUnaryRequestRunsOnItsConnectionsThreadUnlessAStreamIsOpenThere() throws IOException {
		server.handle("Threads", new Threads(), Map.of());
		String port = server.address().substring(server.address().lastIndexOf(':') + 1);
		String quiet = threadName(call(request("Threads.Name", "application/json", "1", utf8("{}"))));
		assertTrue(quiet.startsWith("micro-http-" + port + "-conn-"), quiet);
		// with a stream open, the reading thread must stay free for its frames: the request goes to a worker
		client.send(streamFrame("Example.Chat", "41", null));
		String busy = threadName(call(request("Threads.Name", "application/json", "2", utf8("{}"))));
		assertTrue(busy.startsWith("micro-server-" + SERVICE + "-"), busy);
		client.send(streamFrame("Example.Chat", "41", "{\"name\":\"still here\"}"));
		assertEquals("{\"msg\":\"re: still here\"}", text(client.recv().body()));
	}

	private static String threadName(Message m) throws IOException {
		assertNull(m.header("Micro-Error"));
		return new ObjectMapper().readTree(m.body()).get("msg").asText();
	}

	@Test
	void aHandlerThatBlocksHoldsUpNoOtherConnection() throws Exception {
		Gate gate = new Gate();
		server.handle("Gate", gate, Map.of());
		client.send(request("Gate.Pass", "application/json", "held", utf8("{}")));
		try (Socket other = transport.dial(server.address(), Duration.ofSeconds(2))) {
			// held up, this would time out long before the gate gives up
			other.setTimeout(Duration.ofSeconds(10));
			other.send(request("Example.Call", "application/json", "other", utf8("{\"name\":\"other\"}")));
			assertEquals("{\"msg\":\"Hello other\"}", text(other.recv().body()));
		}
		gate.open.countDown();
		Message held = client.recv();
		assertEquals("held", held.header("Micro-Id"));
		assertEquals("{\"msg\":\"passed\"}", text(held.body()));
	}

	@Test
	void aHandlerPastItsDeadlineIsInterruptedAndAnswered408() throws IOException {
		Message m = request("Example.Wait", "application/json", "late", utf8("{\"name\":\"30000\"}"));
		m.header("Timeout", "200000000");
		long start = System.nanoTime();
		Message r = call(m);
		assertTrue(System.nanoTime() - start < 5_000_000_000L);
		MicroError e = MicroError.parse(r.header("Micro-Error"));
		assertEquals(408, e.code());
		assertEquals("{\"msg\":\"Hello next\"}", text(call(request("Example.Call", "application/json", "n",
				utf8("{\"name\":\"next\"}"))).body()));
	}

	private Message streamFrame(String endpoint, String streamId, String body) {
		Message m = request(endpoint, "application/json", streamId, body == null ? new byte[0] : utf8(body));
		m.header("Micro-Stream", streamId);
		m.header("Timeout", null);
		return m;
	}

	@Test
	void serverStreamingReadsItsRequestFromTheSecondMessage() throws IOException {
		// the first body is discarded, as go-micro's server does
		client.send(streamFrame("Example.Count", "11", "{\"name\":\"ignored\"}"));
		client.send(streamFrame("Example.Count", "11", "{\"name\":\"n\"}"));
		for (int i = 0; i < 3; i++) {
			Message r = client.recv();
			assertNull(r.header("Micro-Error"));
			assertEquals("{\"msg\":\"n" + i + "\"}", text(r.body()));
			assertEquals("11", r.header("Micro-Id"));
			assertEquals("Example.Count", r.header("Micro-Endpoint"));
		}
		Message end = client.recv();
		assertEquals("EOS", end.header("Micro-Error"));
		assertEquals(0, end.body().length);
	}

	@Test
	void clientStreamingEndsWithTheClientsEos() throws IOException {
		client.send(streamFrame("Example.Sum", "21", null));
		for (int i = 1; i <= 4; i++) {
			client.send(streamFrame("Example.Sum", "21", "{\"n\":" + i + "}"));
		}
		Message eos = streamFrame("Example.Sum", "21", null);
		eos.header("Micro-Error", "EOS");
		client.send(eos);
		assertEquals("{\"n\":10}", text(client.recv().body()));
		assertEquals("EOS", client.recv().header("Micro-Error"));
	}

	@Test
	void bidiStreamsAreMultiplexedOnOneConnectionAndCarryErrors() throws IOException {
		client.send(streamFrame("Example.Chat", "31", null));
		client.send(streamFrame("Example.Chat", "32", null));
		client.send(streamFrame("Example.Chat", "31", "{\"name\":\"a\"}"));
		Message a = client.recv();
		assertEquals("{\"msg\":\"re: a\"}", text(a.body()));
		assertEquals("31", a.header("Micro-Stream"));
		client.send(streamFrame("Example.Chat", "32", "{\"name\":\"b\"}"));
		Message b = client.recv();
		assertEquals("{\"msg\":\"re: b\"}", text(b.body()));
		assertEquals("32", b.header("Micro-Stream"));
		client.send(streamFrame("Example.Chat", "32", "{\"name\":\"bye\"}"));
		Message err = client.recv();
		assertEquals("32", err.header("Micro-Id"));
		assertEquals("rude", MicroError.parse(err.header("Micro-Error")).detail());
		Message close = streamFrame("Example.Chat", "31", null);
		close.header("Micro-Error", "EOS");
		client.send(close);
		Message end = client.recv();
		assertEquals("31", end.header("Micro-Id"));
		assertEquals("EOS", end.header("Micro-Error"));
	}

	@Test
	void debugHealthAndStats() throws IOException {
		Message json = call(request("Debug.Health", "application/json", "1", utf8("{}")));
		assertEquals("{\"status\":\"ok\"}", text(json.body()));
		Message proto = call(request("Debug.Health", "application/protobuf", "2", new byte[0]));
		assertEquals("0a026f6b", HexFormat.of().formatHex(proto.body()));
		JsonNode stats = new ObjectMapper().readTree(call(request("Debug.Stats", "application/json", "3", utf8("{}"))).body());
		for (String k : List.of("timestamp", "started", "uptime", "memory", "threads", "gc", "requests", "errors")) {
			assertTrue(stats.has(k), k + " in " + stats);
		}
		assertTrue(stats.get("requests").asLong() >= 2);
		assertTrue(stats.get("threads").asLong() > 0);
	}

	@Test
	void registersTheNodeWithGoMetadataAndValueTrees() {
		Service s = registry.last();
		assertEquals(SERVICE, s.name());
		assertEquals("latest", s.version());
		assertEquals(Duration.ofSeconds(30), registry.ttls.get(0));
		Node node = s.nodes().get(0);
		assertTrue(node.id().startsWith(SERVICE + "-"), node.id());
		assertEquals(SERVICE.length() + 1 + 36, node.id().length());
		assertEquals(server.nodeId(), node.id());
		assertEquals(server.address(), node.address());
		assertTrue(node.address().startsWith("127.0.0.1:"), node.address());
		assertEquals(Map.of("broker", "test", "protocol", "mucp", "registry", "memory", "server", "mucp",
				"transport", "http", "team", "a"), node.metadata());
		assertEquals(List.of("Example.Call", "Example.Chat", "Example.Count", "Example.Echo", "Example.Sum",
				"Example.Wait"), s.endpoints().stream().map(Endpoint::name).toList());
		Endpoint call = s.endpoints().get(0);
		assertEquals(new Value("Request", "Request", List.of(new Value("name", "string", List.of()))), call.request());
		assertEquals("{\"name\":\"Request\",\"type\":\"Request\",\"values\":[{\"name\":\"name\",\"type\":\"string\",\"values\":null}]}",
				goJson(call.request()));
		assertEquals(new Value("Response", "Response", List.of(new Value("msg", "string", List.of()))), call.response());
		assertEquals(Map.of(), call.metadata());
		Endpoint count = s.endpoints().get(2);
		assertEquals(Map.of("stream", "true"), count.metadata());
		assertEquals("Request", count.request().name());
		assertEquals("true", s.endpoints().get(1).metadata().get("stream"));
		Endpoint echo = s.endpoints().get(3);
		assertEquals(new Value("StringValue", "StringValue", List.of(new Value("value", "string", List.of()))), echo.request());
	}

	/** Value as go-micro's JSON writes it: empty children are null. */
	private static String goJson(Value v) {
		StringBuilder b = new StringBuilder("{\"name\":\"").append(v.name()).append("\",\"type\":\"").append(v.type())
				.append("\",\"values\":");
		if (v.values().isEmpty()) {
			b.append("null");
		} else {
			b.append('[');
			for (int i = 0; i < v.values().size(); i++) {
				b.append(i > 0 ? "," : "").append(goJson(v.values().get(i)));
			}
			b.append(']');
		}
		return b.append('}').toString();
	}

	@Test
	void reRegistersOnChangesAndOnTheIntervalAndDeregistersOnStop() throws Exception {
		int before = registry.registered.size();
		Thread.sleep(500);
		assertTrue(registry.registered.size() >= before + 1, "re-registered every interval");
		server.handle("Other", new Example(), Map.of("Call", Map.of("handler", "api")));
		waitFor(() -> registry.last().endpoints().stream().anyMatch(e -> e.name().equals("Other.Call")));
		Endpoint other = registry.last().endpoints().stream().filter(e -> e.name().equals("Other.Call")).findFirst().get();
		assertEquals("api", other.metadata().get("handler"));
		assertEquals("{\"msg\":\"Hello x\"}", text(call(request("Other.Call", "application/json", "1",
				utf8("{\"name\":\"x\"}"))).body()));
		server.stop();
		assertEquals(1, registry.deregistered.size());
		assertEquals(server.nodeId(), registry.deregistered.get(0).nodes().get(0).id());
		assertFalse(server.isStarted());
		// the listener and its connections are closed
		assertThrows(IOException.class, client::recv);
	}

	/** Stops the server it runs in, as the runtime service does when it removes the plugin its server is bound to. */
	public static class Stopper {
		volatile RpcServer server;

		public Response halt(Request r) throws InterruptedException {
			if (r.name().equals("elsewhere")) {
				// as a component being deactivated does: on a thread of its own, waited for
				Thread t = new Thread(RpcServer.onBehalfOf(server::stop));
				t.start();
				t.join();
			} else {
				server.stop();
			}
			return new Response("stopped " + r.name());
		}
	}

	@Test
	void aServerStoppedByItsOwnHandlerAnswersThatRequestThenCloses() throws Exception {
		stoppedByItsOwnHandler("now");
	}

	@Test
	void aServerStoppedOnAnotherThreadForItsOwnHandlerAnswersThatRequestThenCloses() throws Exception {
		stoppedByItsOwnHandler("elsewhere");
	}

	private void stoppedByItsOwnHandler(String how) throws Exception {
		Stopper stopper = new Stopper();
		stopper.server = server;
		server.handle(stopper);
		long start = System.nanoTime();
		Message rsp = call(request("Stopper.Halt", "application/json", "1", utf8("{\"name\":\"" + how + "\"}")));
		long millis = (System.nanoTime() - start) / 1_000_000;
		assertEquals("{\"msg\":\"stopped " + how + "\"}", text(rsp.body()));
		assertTrue(millis < 3000, "it does not wait for its own request: " + millis + " ms");
		assertFalse(server.isStarted());
		assertEquals(1, registry.deregistered.size());
		// answered, then the listener and its connections are closed
		assertThrows(IOException.class, client::recv);
	}

	/** As protoc-gen-micro's handler interfaces: the proto service name and the google.api.http metadata. */
	public static class Greeter extends Example implements micro.server.DescribedHandler {
		@Override
		public String handlerName() {
			return "Greeter";
		}

		@Override
		public Map<String, Map<String, String>> endpointMetadata() {
			return Map.of("Call", Map.of("endpoint", "Greeter.Call", "handler", "rpc", "method", "POST", "path",
					"/v1/greet"));
		}
	}

	@Test
	void aDescribedHandlerNamesItsEndpointsAndGivesTheirMetadataUnlessTheCallerDoes() throws Exception {
		Greeter greeter = new Greeter();
		server.handle(greeter);
		waitFor(() -> registry.last().endpoints().stream().anyMatch(e -> e.name().equals("Greeter.Call")));
		Endpoint call = registry.last().endpoints().stream().filter(e -> e.name().equals("Greeter.Call")).findFirst()
				.get();
		assertEquals(Map.of("endpoint", "Greeter.Call", "handler", "rpc", "method", "POST", "path", "/v1/greet"),
				call.metadata());
		// its two describing methods take no argument, so they are not endpoints
		assertTrue(registry.last().endpoints().stream().noneMatch(e -> e.name().startsWith("Greeter.HandlerName")
				|| e.name().startsWith("Greeter.EndpointMetadata")));
		assertEquals("{\"msg\":\"Hello g\"}", text(call(request("Greeter.Call", "application/json", "1",
				utf8("{\"name\":\"g\"}"))).body()));
		server.unhandle(greeter);

		// a name and metadata given by the caller win
		server.handle("Hello", greeter, Map.of("Call", Map.of("handler", "api")));
		waitFor(() -> registry.last().endpoints().stream().anyMatch(e -> e.name().equals("Hello.Call")));
		assertEquals(Map.of("handler", "api"), registry.last().endpoints().stream()
				.filter(e -> e.name().equals("Hello.Call")).findFirst().get().metadata());
		assertTrue(registry.last().endpoints().stream().noneMatch(e -> e.name().startsWith("Greeter.")));
	}

	@Test
	void subscribersGetBrokerMessagesAndEventsOverTheTransport() throws Exception {
		Events events = new Events();
		server.subscribe("go.micro.topic.events", events, "queue-1");
		waitFor(() -> registry.last().endpoints().stream().anyMatch(e -> e.name().equals("Events.Handle")));
		Endpoint ep = registry.last().endpoints().get(registry.last().endpoints().size() - 1);
		assertEquals("Events.Handle", ep.name());
		assertEquals(Map.of("topic", "go.micro.topic.events", "subscriber", "true"), ep.metadata());
		assertEquals("Request", ep.request().name());
		assertEquals("queue-1", broker.subscriptions.get(0).queue());

		// no Content-Type and a JSON payload: read as JSON
		broker.publish("go.micro.topic.events", new BrokerMessage(Map.of("X-Custom", "b1"), utf8("{\"name\":\"one\"}")));
		assertEquals(List.of("one/b1"), events.received);

		Message event = new Message(Map.of("Micro-Topic", "go.micro.topic.events", "Content-Type", "application/json",
				"X-Custom", "t1", "Micro-Id", "e1"), utf8("{\"name\":\"two\"}"));
		Message reply = call(event);
		assertNull(reply.header("Micro-Error"));
		assertEquals("go.micro.topic.events", reply.header("Micro-Topic"));
		assertEquals(0, reply.body().length);
		assertEquals(List.of("one/b1", "two/t1"), events.received);

		Message bad = call(new Message(Map.of("Micro-Topic", "go.micro.topic.events", "Content-Type", "application/json"),
				utf8("{broken")));
		assertEquals(400, MicroError.parse(bad.header("Micro-Error")).code());

		server.unsubscribe(events);
		assertTrue(broker.subscriptions.isEmpty());
	}

	@Test
	void aMalformedFrameClosesOnlyItsConnection() throws Exception {
		String[] hp = server.address().split(":");
		try (java.net.Socket raw = new java.net.Socket(hp[0], Integer.parseInt(hp[1]))) {
			raw.setSoTimeout(5000);
			raw.getOutputStream().write(utf8("GARBAGE\r\n\r\n"));
			String answer = readAll(raw.getInputStream());
			assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request"), answer);
		}
		try (Socket other = transport.dial(server.address(), Duration.ofSeconds(2))) {
			other.send(request("Example.Call", "application/json", "1", utf8("{\"name\":\"after\"}")));
			assertEquals("{\"msg\":\"Hello after\"}", text(other.recv().body()));
		}
		assertEquals("{\"msg\":\"Hello same\"}", text(call(request("Example.Call", "application/json", "2",
				utf8("{\"name\":\"same\"}"))).body()));
	}

	@Test
	void badHandlersAreRefusedClearly() {
		IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
				() -> server.handle("Nothing", new Object(), Map.of()));
		assertTrue(none.getMessage().contains("no endpoint method"), none.getMessage());
		assertThrows(IllegalArgumentException.class, () -> server.handle("Debug", new Example(), Map.of()));
		assertThrows(IllegalArgumentException.class, () -> server.subscribe("t", new Object(), null));
	}

	@Test
	void advertisedAddressesReplaceWildcardHosts() throws IOException {
		for (Map.Entry<String, String> c : Map.of("10.1.2.3:9999", "10.1.2.3:9999", "0.0.0.0:7000", ":7000",
				"example.org", "example.org:").entrySet()) {
			TestRegistry r = new TestRegistry();
			ServerOptions o = new ServerOptions("go.micro.srv.adv", null, "127.0.0.1:0", c.getKey(), null, null, null);
			RpcServer s = new RpcServer(o, MicroConfig.of(Map.of()), r, null, transport, codecs);
			s.handle(new Example());
			s.start();
			try {
				String port = s.address().substring(s.address().lastIndexOf(':') + 1);
				String address = r.last().nodes().get(0).address();
				assertEquals(s.address(), address);
				if (c.getValue().startsWith(":")) {
					// a wildcard host becomes a private IPv4 of this machine, or the loopback address
					assertTrue(address.endsWith(c.getValue()) && !address.startsWith("0.0.0.0"), address);
				} else if (c.getValue().endsWith(":")) {
					assertEquals(c.getValue() + port, address);
				} else {
					assertEquals(c.getValue(), address);
				}
			} finally {
				s.stop();
			}
		}
	}

	@Test
	void registrationFailureFailsStart() {
		TestRegistry down = new TestRegistry();
		down.failuresLeft = 3;
		RpcServer s = new RpcServer(ServerOptions.named("go.micro.srv.down"), MicroConfig.of(Map.of()), down, null,
				transport, codecs);
		s.handle(new Example());
		IOException e = assertThrows(IOException.class, s::start);
		assertTrue(e.getMessage().contains("cannot register go.micro.srv.down"), e.getMessage());
		assertFalse(s.isStarted());
		TestRegistry flaky = new TestRegistry();
		flaky.failuresLeft = 2;
		RpcServer ok = new RpcServer(ServerOptions.named("go.micro.srv.flaky"), MicroConfig.of(Map.of()), flaky, null,
				transport, codecs);
		ok.handle(new Example());
		assertNotNull(assertDoesNotThrowStart(ok));
		assertEquals("http", flaky.last().nodes().get(0).metadata().get("broker"));
		ok.stop();
	}

	private static String assertDoesNotThrowStart(RpcServer s) {
		try {
			s.start();
		} catch (IOException e) {
			throw new AssertionError(e);
		}
		return s.address();
	}

	private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
		long until = System.nanoTime() + 5_000_000_000L;
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > until) {
				throw new AssertionError("condition not met in 5 s");
			}
			Thread.sleep(20);
		}
	}

	private static String readAll(InputStream in) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		in.transferTo(out);
		return out.toString(StandardCharsets.UTF_8);
	}

	@Test
	void nullResultsAreEmptyObjects() throws IOException {
		server.handle("Nulls", new Nulls(), Map.of());
		Message json = call(request("Nulls.Get", "application/json", "1", utf8("{}")));
		assertNull(json.header("Micro-Error"));
		assertEquals("{}", text(json.body()));
		Message proto = call(request("Nulls.Proto", "application/protobuf", "2", new byte[0]));
		assertNull(proto.header("Micro-Error"));
		assertEquals(0, call(request("Nulls.Proto", "application/protobuf", "2", new byte[0])).body().length);
	}
}
