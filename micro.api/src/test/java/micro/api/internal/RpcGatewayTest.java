package micro.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import micro.example.ExampleService;
import micro.example.handler.Example;
import micro.registry.Node;
import micro.registry.Service;

/** The rpc and meta handlers end to end: real HTTP into the gateway, real MUCP calls to real services. */
class RpcGatewayTest {
	static Backends backends;
	static ApiGateway rpc;
	static ApiGateway meta;

	@BeforeAll
	static void start() throws Exception {
		backends = new Backends();
		backends.serve(ExampleService.NAME, new Example());
		backends.serve("go.micro.srv.greeter", new Backends.Greeter());
		backends.serve("go.micro.api.greeter", new Backends.Greeter());
		// the seed's walkthrough: MICRO_API_HANDLER=rpc MICRO_API_NAMESPACE=go.micro.srv micro api
		rpc = backends.gateway(Map.of(ApiOptions.API_HANDLER, "rpc", ApiOptions.API_NAMESPACE, "go.micro.srv",
				ApiOptions.API_ENABLE_RPC, "true", ApiOptions.ENABLE_STATS, "true"));
		meta = backends.gateway(Map.of());
	}

	@AfterAll
	static void stop() {
		rpc.stop();
		meta.stop();
		backends.close();
	}

	@Test
	void seedWalkthrough() throws Exception {
		HttpResponse<String> r = backends.post(rpc, "/example/call", "application/json", "{\"name\": \"John\"}");
		assertEquals(200, r.statusCode());
		assertEquals("{\"msg\":\"Hello John\"}", r.body());
		assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
	}

	/**
	 * The rpc handler takes one of the gateway's 256 threads per call in flight: more slow calls than that wait for a
	 * thread and are all answered, none refused.
	 */
	@Test
	void moreSlowCallsThanThreadsAreAllAnswered() throws Exception {
		int calls = 300;
		List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
		for (int i = 0; i < calls; i++) {
			answers.add(backends.http.sendAsync(HttpRequest.newBuilder(Backends.uri(rpc, "/greeter/sleep"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"millis\": 500}")).build(),
					HttpResponse.BodyHandlers.ofString()));
		}
		for (CompletableFuture<HttpResponse<String>> answer : answers) {
			HttpResponse<String> r = answer.get(60, TimeUnit.SECONDS);
			assertEquals(200, r.statusCode(), r.body());
			assertEquals("{\"msg\":\"slept 500\"}", r.body());
		}
	}

	@Test
	void v25NamespaceAndTypeReachTheSameService() throws Exception {
		ApiGateway g = backends.gateway(Map.of(ApiOptions.API_HANDLER, "rpc", ApiOptions.API_NAMESPACE, "go.micro",
				ApiOptions.API_TYPE, "srv"));
		try {
			HttpResponse<String> r = backends.post(g, "/example/call", "application/json", "{\"name\":\"Jane\"}");
			assertEquals("{\"msg\":\"Hello Jane\"}", r.body());
		} finally {
			g.stop();
		}
	}

	@Test
	void versionOnRoot() throws Exception {
		HttpResponse<String> r = backends.get(meta, "/");
		assertEquals(200, r.statusCode());
		assertTrue(r.body().matches("\\{\"version\": \"[^\"]+\"\\}"), r.body());
		assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
	}

	@Test
	void metaHandlerWithDefaultNamespace() throws Exception {
		assertEquals("{\"msg\":\"Hello Ann\"}",
				backends.post(meta, "/greeter/hello", "application/json", "{\"name\":\"Ann\"}").body());
		// GET: the query is the request
		assertEquals("{\"msg\":\"Hello Bo\"}", backends.get(meta, "/greeter/hello?name=Bo").body());
		// a urlencoded form is converted to JSON (Go checks a misspelled content type and does not)
		assertEquals("{\"msg\":\"Hello Cy\"}",
				backends.post(meta, "/greeter/hello", "application/x-www-form-urlencoded", "name=Cy").body());
		// body fields win over query fields
		assertEquals("{\"msg\":\"Hello Di\"}",
				backends.post(meta, "/greeter/hello?name=Query", "application/json; charset=utf-8", "{\"name\":\"Di\"}").body());
	}

	@Test
	void headersBecomeMetadata() throws Exception {
		HttpResponse<String> r = backends.send(HttpRequest.newBuilder(Backends.uri(meta, "/greeter/whoami"))
				.header("Content-Type", "application/json").header("X-Trace-Id", "t-1")
				.POST(HttpRequest.BodyPublishers.ofString("{}")).build());
		assertEquals(200, r.statusCode(), r.body());
		assertTrue(r.body().contains("\"trace\":\"t-1\""), r.body());
		assertTrue(r.body().contains("\"method\":\"POST\""), r.body());
	}

	@Test
	void emptyResponseIs204() throws Exception {
		// bytes in, no bytes out
		HttpResponse<String> r = backends.post(meta, "/greeter/raw", "application/octet-stream", "");
		assertEquals(204, r.statusCode());
		assertEquals("", r.body());
	}

	@Test
	void unknownServiceAnswersGosError() throws Exception {
		HttpResponse<String> r = backends.post(meta, "/nosuch/call", "application/json", "{}");
		assertEquals(500, r.statusCode());
		assertEquals("{\"id\":\"go.micro.api\",\"code\":500,\"detail\":\"service not found\",\"status\":\"Internal Server Error\"}",
				r.body());
		assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
		// the error id is the namespace in use
		assertTrue(backends.post(rpc, "/nosuch", "application/json", "{}").body().contains("\"id\":\"go.micro.srv\""));
	}

	@Test
	void backendErrorsKeepTheirCode() throws Exception {
		HttpResponse<String> r = backends.post(meta, "/greeter/refuse", "application/json", "{\"name\":\"Eve\"}");
		assertEquals(403, r.statusCode());
		assertTrue(r.body().contains("\"detail\":\"not you, Eve\""), r.body());
		assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
		// an endpoint the service does not have
		HttpResponse<String> missing = backends.post(meta, "/greeter/nothing", "application/json", "{}");
		assertTrue(missing.statusCode() >= 400, missing.body());
		assertTrue(missing.body().startsWith("{\"id\":"), missing.body());
	}

	@Test
	void malformedJsonAndWrongContentTypes() throws Exception {
		HttpResponse<String> bad = backends.post(meta, "/greeter/hello", "application/json", "{\"name\": ");
		assertEquals(400, bad.statusCode());
		assertTrue(bad.body().contains("invalid JSON body"), bad.body());
		assertEquals("application/json", bad.headers().firstValue("Content-Type").orElse(""));
		// Go treats any unknown type as JSON: text that is not JSON is a 400 too
		assertEquals(400, backends.post(meta, "/greeter/hello", "text/plain", "hello there").statusCode());
		HttpResponse<String> multipart = backends.post(meta, "/greeter/hello", "multipart/form-data; boundary=x",
				"--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nZed\r\n--x--\r\n");
		assertEquals(415, multipart.statusCode());
		// protobuf bytes go through as they are; the service cannot read them into its JSON record type
		HttpResponse<String> proto = backends.post(meta, "/greeter/hello", "application/protobuf", "\u0000\u0001garbage");
		assertTrue(proto.statusCode() >= 400, proto.statusCode() + " " + proto.body());
		assertTrue(proto.body().startsWith("{"), proto.body());
		// the gateway still serves
		assertEquals(200, backends.post(meta, "/greeter/hello", "application/json", "{\"name\":\"Ok\"}").statusCode());
	}

	@Test
	void jsonRpcAndProtoRpcBodiesAreUnwrapped() throws Exception {
		String call = "{\"method\":\"Greeter.Hello\",\"params\":[{\"name\":\"Rpc\"}],\"id\":\"1\"}";
		HttpResponse<String> r = backends.post(meta, "/greeter/hello", "application/json-rpc", call);
		// the result alone comes back, with the request's content type
		assertEquals("200 application/json-rpc {\"msg\":\"Hello Rpc\"}", r.statusCode() + " "
				+ r.headers().firstValue("Content-Type").orElse("") + " " + r.body());
		// the query still merges with the params
		assertEquals("{\"msg\":\"Hello Q\"}", backends.post(meta, "/greeter/hello?name=Q", "application/json-rpc",
				"{\"method\":\"Greeter.Hello\",\"params\":[],\"id\":2}").body());
		HttpResponse<String> noMethod = backends.post(meta, "/greeter/hello", "application/json-rpc",
				"{\"params\":[{\"name\":\"Rpc\"}]}");
		assertEquals(400, noMethod.statusCode(), noMethod.body());
		assertTrue(noMethod.body().contains("\"id\":\"go.micro.api\"") && noMethod.body().contains("invalid json-rpc frame"),
				noMethod.body());
		// proto-rpc: header and body netstrings; the body inside goes on (here to an endpoint taking bytes)
		byte[] framed = { 0, 0, 0, 0, 0, 0, 0, 2, 1, 2 };
		HttpResponse<String> raw = backends.send(HttpRequest.newBuilder(Backends.uri(meta, "/greeter/raw"))
				.header("Content-Type", "application/proto-rpc").POST(HttpRequest.BodyPublishers.ofByteArray(framed)).build());
		assertEquals(204, raw.statusCode(), raw.body());
		HttpResponse<String> truncated = backends.send(HttpRequest.newBuilder(Backends.uri(meta, "/greeter/raw"))
				.header("Content-Type", "application/proto-rpc")
				.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] { 0, 0, 0, 9, 1 })).build());
		assertEquals(400, truncated.statusCode(), truncated.body());
		assertTrue(truncated.body().contains("invalid proto-rpc frame"), truncated.body());
	}

	@Test
	void oversizedBodiesAre413() throws Exception {
		ApiGateway small = backends.gateway(Map.of(ApiOptions.API_MAX_BODY, "1KiB"));
		try {
			String big = "{\"name\":\"" + "x".repeat(2000) + "\"}";
			HttpResponse<String> r = backends.post(small, "/greeter/hello", "application/json", big);
			assertEquals(413, r.statusCode());
			assertTrue(r.body().contains("\"code\":413"), r.body());
			assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
			// chunked, with no Content-Length, and far larger than the limit: the client is still sending when the 413 is
			// decided, and must get it (the rest of the body is read and dropped, not left to reset the connection)
			byte[] huge = ("{\"name\":\"" + "x".repeat(300_000) + "\"}").getBytes();
			HttpResponse<String> chunked = backends.send(HttpRequest.newBuilder(Backends.uri(small, "/greeter/hello"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(huge)))
					.build());
			assertEquals(413, chunked.statusCode());
			assertEquals(200, backends.post(small, "/greeter/hello", "application/json", "{\"name\":\"S\"}").statusCode());
		} finally {
			small.stop();
		}
	}

	@Test
	void timeoutHeaderIsHonouredInSeconds() throws Exception {
		long t0 = System.nanoTime();
		HttpResponse<String> r = backends.send(HttpRequest.newBuilder(Backends.uri(meta, "/greeter/sleep"))
				.header("Content-Type", "application/json").header("Timeout", "1")
				.POST(HttpRequest.BodyPublishers.ofString("{\"millis\":3000}")).build());
		long ms = (System.nanoTime() - t0) / 1_000_000;
		assertEquals(408, r.statusCode(), r.body());
		assertTrue(ms >= 900 && ms < 2900, "took " + ms + " ms");
		// long enough
		HttpResponse<String> ok = backends.send(HttpRequest.newBuilder(Backends.uri(meta, "/greeter/sleep"))
				.header("Content-Type", "application/json").header("Timeout", "2")
				.POST(HttpRequest.BodyPublishers.ofString("{\"millis\":200}")).build());
		assertEquals("{\"msg\":\"slept 200\"}", ok.body());
		// nonsense
		HttpResponse<String> bad = backends.send(HttpRequest.newBuilder(Backends.uri(meta, "/greeter/sleep"))
				.header("Content-Type", "application/json").header("Timeout", "soon")
				.POST(HttpRequest.BodyPublishers.ofString("{\"millis\":1}")).build());
		assertEquals(400, bad.statusCode());
	}

	@Test
	void timeoutIsCapped() throws Exception {
		ApiGateway capped = backends.gateway(Map.of(ApiOptions.API_MAX_TIMEOUT, "500ms"));
		try {
			long t0 = System.nanoTime();
			HttpResponse<String> r = backends.send(HttpRequest.newBuilder(Backends.uri(capped, "/greeter/sleep"))
					.header("Content-Type", "application/json").header("Timeout", "30")
					.POST(HttpRequest.BodyPublishers.ofString("{\"millis\":3000}")).build());
			assertEquals(408, r.statusCode());
			assertTrue((System.nanoTime() - t0) / 1_000_000 < 2500);
		} finally {
			capped.stop();
		}
	}

	/** A node that reads the request and drops the connection, as a backend process killed mid-request does. */
	@Test
	void backendKilledMidRequest() throws Exception {
		try (ServerSocket dying = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
			CountDownLatch got = new CountDownLatch(1);
			Thread t = new Thread(() -> {
				try {
					while (true) {
						Socket s = dying.accept();
						InputStream in = s.getInputStream();
						in.read(new byte[4096]);
						got.countDown();
						s.setSoLinger(true, 0);
						s.close();
					}
				} catch (IOException closed) {
					// the test is over
				}
			});
			t.setDaemon(true);
			t.start();
			Service dead = new Service("go.micro.api.dying", "latest", Map.of(), List.of(), List.of(new Node(
					"go.micro.api.dying-1", "127.0.0.1:" + dying.getLocalPort(), Map.of("protocol", "mucp"))));
			backends.micro.registry().register(dead, Duration.ofMinutes(1));
			HttpResponse<String> r = backends.post(meta, "/dying/call", "application/json", "{}");
			assertTrue(got.await(5, TimeUnit.SECONDS));
			assertEquals(500, r.statusCode(), r.body());
			assertTrue(r.body().startsWith("{\"id\":"), r.body());
			assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
			backends.micro.registry().deregister(dead);
		}
		assertEquals(200, backends.post(meta, "/greeter/hello", "application/json", "{\"name\":\"Ok\"}").statusCode());
	}

	@Test
	void rpcEndpoint() throws Exception {
		HttpResponse<String> r = backends.post(rpc, "/rpc", "application/json",
				"{\"service\":\"go.micro.srv.example\",\"endpoint\":\"Example.Call\",\"request\":{\"name\":\"Ann\"}}");
		assertEquals(200, r.statusCode(), r.body());
		assertEquals("{\"msg\":\"Hello Ann\"}", r.body());
		// "method" instead of "endpoint", request as a JSON string
		assertEquals("{\"msg\":\"Hello Bo\"}", backends.post(rpc, "/rpc", "application/json",
				"{\"service\":\"go.micro.srv.example\",\"method\":\"Example.Call\",\"request\":\"{\\\"name\\\":\\\"Bo\\\"}\"}").body());
		// a form
		assertEquals("{\"msg\":\"Hello Cy\"}", backends.post(rpc, "/rpc", "application/x-www-form-urlencoded",
				"service=go.micro.srv.example&endpoint=Example.Call&request=%7B%22name%22%3A%22Cy%22%7D").body());
		HttpResponse<String> noService = backends.post(rpc, "/rpc", "application/json", "{\"endpoint\":\"X.Y\"}");
		assertEquals(400, noService.statusCode());
		assertEquals("{\"id\":\"go.micro.rpc\",\"code\":400,\"detail\":\"invalid service\",\"status\":\"Bad Request\"}",
				noService.body());
		assertEquals(405, backends.get(rpc, "/rpc").statusCode());
		// not enabled on the meta gateway: /rpc is then a path like any other
		assertEquals(500, backends.post(meta, "/rpc", "application/json", "{}").statusCode());
	}

	@Test
	void corsDefaultNeverEchoesOriginsWithCredentials() throws Exception {
		HttpResponse<String> r = backends.send(HttpRequest.newBuilder(Backends.uri(meta, "/greeter/hello"))
				.header("Origin", "https://evil.example").method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
		assertEquals(200, r.statusCode());
		assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
		assertFalse(r.headers().firstValue("Access-Control-Allow-Credentials").isPresent());
		assertTrue(r.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));

		ApiGateway listed = backends.gateway(Map.of(ApiOptions.API_CORS_ALLOWED_ORIGINS, "https://app.example",
				ApiOptions.API_CORS_ALLOW_CREDENTIALS, "true"));
		try {
			HttpResponse<String> ok = backends.send(HttpRequest.newBuilder(Backends.uri(listed, "/greeter/hello"))
					.header("Origin", "https://app.example").header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"A\"}")).build());
			assertEquals("https://app.example", ok.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
			assertEquals("true", ok.headers().firstValue("Access-Control-Allow-Credentials").orElse(""));
			HttpResponse<String> other = backends.send(HttpRequest.newBuilder(Backends.uri(listed, "/greeter/hello"))
					.header("Origin", "https://evil.example").header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"A\"}")).build());
			assertFalse(other.headers().firstValue("Access-Control-Allow-Origin").isPresent());
			assertFalse(other.headers().firstValue("Access-Control-Allow-Credentials").isPresent());
		} finally {
			listed.stop();
		}
	}

	@Test
	void statsCountRequests() throws Exception {
		backends.post(rpc, "/example/call", "application/json", "{\"name\":\"S\"}");
		backends.post(rpc, "/nosuch", "application/json", "{}");
		HttpResponse<String> r = backends.send(HttpRequest.newBuilder(Backends.uri(rpc, "/stats"))
				.header("Content-Type", "application/json").GET().build());
		assertEquals(200, r.statusCode());
		assertTrue(r.body().contains("\"status_codes\""), r.body());
		assertTrue(r.body().contains("\"500\":"), r.body());
		assertTrue(r.body().contains("\"200\":"), r.body());
		assertTrue(backends.get(rpc, "/stats").body().startsWith("<!DOCTYPE html>"));
		// off by default: a path like any other
		assertEquals(500, backends.get(meta, "/stats").statusCode());
	}
}
