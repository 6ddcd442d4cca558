package micro.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import micro.registry.Node;
import micro.registry.Service;

/**
 * The http handler's proxy against a backend that answers exactly the bytes each test scripts: the framings a
 * backend may use, hop-by-hop headers, kept-alive connections that go stale, a backend that dies in the middle of a
 * body or never answers.
 */
class HttpProxyTest {
	private Backends backends;
	private ApiGateway gateway;
	private ScriptedBackend backend;

	@BeforeEach
	void start() throws Exception {
		backends = new Backends();
		gateway = backends.gateway(Map.of(ApiOptions.API_HANDLER, "http", ApiOptions.API_MAX_BODY, "4MiB"));
	}

	@AfterEach
	void stop() throws Exception {
		gateway.stop();
		if (backend != null) {
			backend.close();
		}
		backends.close();
	}

	private void serve(Function<Exchange, String> script) throws Exception {
		backend = new ScriptedBackend(script);
		backends.micro.registry().register(new Service("go.micro.api.raw", "latest", Map.of(), List.of(),
				List.of(new Node("go.micro.api.raw-1", "127.0.0.1:" + backend.port(), Map.of()))), Duration.ofMinutes(1));
	}

	@Test
	void chunkedAnswerArrivesWhole() throws Exception {
		serve(x -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
				+ "5\r\nhello\r\n1;ext=1\r\n \r\n6\r\nworld!\r\n0\r\nX-Trailer: t\r\n\r\n");
		HttpResponse<String> r = backends.get(gateway, "/raw/chunks");
		assertEquals(200, r.statusCode());
		assertEquals("hello world!", r.body());
		assertEquals("text/plain", r.headers().firstValue("Content-Type").orElse(""));
		// the connection went back to the pool: a second request reuses it
		assertEquals("hello world!", backends.get(gateway, "/raw/chunks").body());
		assertEquals(1, backend.connections.get());
	}

	@Test
	void answerThatEndsWithTheConnection() throws Exception {
		serve(x -> {
			x.closeAfter = true;
			return "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end";
		});
		assertEquals("until the end", backends.get(gateway, "/raw/eof").body());
		assertEquals("until the end", backends.get(gateway, "/raw/eof").body());
		assertEquals(2, backend.connections.get(), "a connection the backend closes is not reused");
	}

	@Test
	void keptAliveConnectionThatWentStaleIsRetriedOnANewOne() throws Exception {
		serve(x -> {
			// every connection serves one request, then the backend closes it without saying so (an idle timeout)
			x.closeAfter = true;
			return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
		});
		for (int i = 0; i < 3; i++) {
			HttpResponse<String> r = backends.get(gateway, "/raw/stale");
			assertEquals(200, r.statusCode(), r.body());
			assertEquals("ok", r.body());
		}
		HttpResponse<String> post = backends.post(gateway, "/raw/stale", "text/plain", "small body, buffered");
		assertEquals("ok", post.body(), "a small body is kept, so the request can be sent again");
		assertEquals(4, backend.requests.size());
	}

	@Test
	void hopByHopHeadersStayOnTheirHopAndXForwardedForGrows() throws Exception {
		serve(x -> "HTTP/1.1 201 Created\r\nContent-Length: 0\r\nKeep-Alive: timeout=5\r\nX-Private: p\r\n"
				+ "Connection: X-Private\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n");
		HttpResponse<String> r = backends.send(HttpRequest.newBuilder(Backends.uri(gateway, "/raw/h?q=1"))
				.header("X-Forwarded-For", "10.0.0.1").header("X-Trace", "abc").header("Upgrade-Insecure-Requests", "1")
				.GET().build());
		assertEquals(201, r.statusCode());
		assertEquals(List.of("a=1", "b=2"), r.headers().allValues("Set-Cookie"));
		assertFalse(r.headers().firstValue("X-Private").isPresent(), "named in Connection: hop-by-hop");
		assertFalse(r.headers().firstValue("Keep-Alive").isPresent());
		String head = backend.requests.get(0).head;
		assertTrue(head.startsWith("GET /raw/h?q=1 HTTP/1.1\r\n"), head);
		assertEquals("10.0.0.1, 127.0.0.1", header(head, "X-Forwarded-For"));
		assertEquals("abc", header(head, "X-Trace"));
		assertEquals("127.0.0.1:" + gateway.port(), header(head, "Host"), "the client's Host, as Go's ReverseProxy");
		assertEquals("1", header(head, "Upgrade-Insecure-Requests"), "only exact hop-by-hop names are dropped");
		assertEquals(null, header(head, "Connection"));
	}

	@Test
	void largeBodiesStreamBothWays() throws Exception {
		byte[] big = new byte[1_500_000];
		for (int i = 0; i < big.length; i++) {
			big[i] = (byte) ('a' + i % 26);
		}
		serve(x -> "HTTP/1.1 200 OK\r\nContent-Length: " + x.body.length + "\r\n\r\n"
				+ new String(x.body, StandardCharsets.ISO_8859_1));
		HttpResponse<byte[]> declared = backends.http.send(HttpRequest.newBuilder(Backends.uri(gateway, "/raw/echo"))
				.POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofByteArray());
		assertEquals(200, declared.statusCode());
		assertTrue(java.util.Arrays.equals(big, declared.body()), "declared body echoed whole");
		HttpResponse<byte[]> chunked = backends.http.send(HttpRequest.newBuilder(Backends.uri(gateway, "/raw/echo"))
				.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertEquals(200, chunked.statusCode());
		assertTrue(java.util.Arrays.equals(big, chunked.body()), "chunked body echoed whole");
		assertEquals("chunked", header(backend.requests.get(1).head, "Transfer-Encoding"));
	}

	@Test
	void backendThatDiesInTheMiddleOfTheBodyAbortsTheAnswer() throws Exception {
		serve(x -> {
			x.closeAfter = true;
			return "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(70_000);
		});
		assertThrows(IOException.class, () -> backends.get(gateway, "/raw/dies"),
				"a truncated body must not look complete");
	}

	@Test
	void backendThatDiesBeforeAnsweringGives502AndTheGatewayGoesOn() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		serve(x -> {
			if (calls.incrementAndGet() == 1) {
				x.closeAfter = true;
				return "HTTP/1.1 200 OK\r\nContent-Len"; // a head cut short
			}
			return "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nagain";
		});
		HttpResponse<String> broken = backends.get(gateway, "/raw/cut");
		assertEquals(502, broken.statusCode(), broken.body());
		assertEquals("application/json", broken.headers().firstValue("Content-Type").orElse(""));
		assertTrue(broken.body().contains("backend failed"), broken.body());
		assertEquals("again", backends.get(gateway, "/raw/cut").body());
	}

	@Test
	void backendThatNeverAnswersTimesOutAndLeavesThePoolClean() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		serve(x -> calls.incrementAndGet() == 1 ? null : "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlate");
		long t0 = System.nanoTime();
		HttpResponse<String> r = backends.send(HttpRequest.newBuilder(Backends.uri(gateway, "/raw/never"))
				.header("Timeout", "0.3").GET().build());
		long millis = (System.nanoTime() - t0) / 1_000_000;
		assertEquals(504, r.statusCode(), r.body());
		assertTrue(millis >= 300 && millis < 2000, "timed out after " + millis + " ms");
		assertEquals("late", backends.get(gateway, "/raw/never").body());
	}

	@Test
	void headAndNoContentAnswersHaveNoBody() throws Exception {
		serve(x -> x.head.startsWith("HEAD") ? "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"
				: "HTTP/1.1 204 No Content\r\n\r\n");
		HttpResponse<String> head = backends.send(HttpRequest.newBuilder(Backends.uri(gateway, "/raw/x"))
				.method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
		assertEquals(200, head.statusCode());
		assertEquals("1234", head.headers().firstValue("Content-Length").orElse(""));
		HttpResponse<String> none = backends.get(gateway, "/raw/x");
		assertEquals(204, none.statusCode());
		assertEquals("", none.body());
		assertEquals(1, backend.connections.get(), "both answers left the connection usable");
	}

	@Test
	void requestsWaitingForSlowBackendsHoldNoThread() throws Exception {
		java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
		serve(x -> {
			if (x.head.startsWith("GET /raw/held")) {
				hold(release);
				return "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nheld";
			}
			return "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nquick";
		});
		// more requests held open than the gateway has threads (256): each waits on a connection, not a thread
		int held = 300;
		List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> pending = new java.util.ArrayList<>();
		for (int i = 0; i < held; i++) {
			pending.add(backends.http.sendAsync(HttpRequest.newBuilder(Backends.uri(gateway, "/raw/held/" + i))
					.header("Timeout", "60").GET().build(), HttpResponse.BodyHandlers.ofString()));
		}
		try {
			long until = System.nanoTime() + 30_000_000_000L;
			while (backend.requests.size() < held && System.nanoTime() < until) {
				Thread.sleep(20);
			}
			assertEquals(held, backend.requests.size(), "all held requests reached the backend");
			HttpResponse<String> quick = backends.http.sendAsync(HttpRequest.newBuilder(Backends.uri(gateway, "/raw/quick"))
					.GET().build(), HttpResponse.BodyHandlers.ofString()).get(5, java.util.concurrent.TimeUnit.SECONDS);
			assertEquals("quick", quick.body(), "answered while " + held + " requests wait for their backend");
		} finally {
			release.countDown();
		}
		for (var p : pending) {
			assertEquals("held", p.get(30, java.util.concurrent.TimeUnit.SECONDS).body());
		}
	}

	/**
	 * Requests that arrive while the one before is still with the backend (HTTP/1.1 pipelining, or a client that does
	 * not wait): the client connection stays registered for reading during an exchange, and bytes that arrive then
	 * must be served after the answer, in order, neither lost nor read twice.
	 */
	@Test
	void pipelinedRequestsAreAnsweredInOrder() throws Exception {
		java.util.concurrent.CountDownLatch secondSent = new java.util.concurrent.CountDownLatch(1);
		serve(x -> {
			if (x.head.startsWith("GET /raw/first")) {
				hold(secondSent); // still with the backend meanwhile
			}
			String path = x.head.substring(4, x.head.indexOf(' ', 4));
			return "HTTP/1.1 200 OK\r\nContent-Length: " + path.length() + "\r\n\r\n" + path;
		});
		try (Socket client = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
			client.setSoTimeout(10_000);
			OutputStream out = client.getOutputStream();
			InputStream in = client.getInputStream();
			// two at once, in one write
			out.write(("GET /raw/a HTTP/1.1\r\nHost: x\r\n\r\nGET /raw/b HTTP/1.1\r\nHost: x\r\n\r\n")
					.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			assertEquals("/raw/a", readAnswer(in));
			assertEquals("/raw/b", readAnswer(in));
			// one sent while the one before is with the backend, then one after the answer
			out.write("GET /raw/first HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			awaitRequest("GET /raw/first");
			out.write("GET /raw/second HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			Thread.sleep(100); // the gateway has seen the bytes arrive while busy
			secondSent.countDown();
			assertEquals("/raw/first", readAnswer(in));
			assertEquals("/raw/second", readAnswer(in));
			out.write("GET /raw/third HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			assertEquals("/raw/third", readAnswer(in));
		}
		assertEquals(List.of("/raw/a", "/raw/b", "/raw/first", "/raw/second", "/raw/third"),
				backend.requests.stream().map(r -> r.head.substring(4, r.head.indexOf(' ', 4))).toList());
	}

	/** A client that goes away while its request is with the backend: the gateway goes on serving others. */
	@Test
	void aClientThatLeavesDuringTheExchangeLeavesNothingBehind() throws Exception {
		java.util.concurrent.CountDownLatch left = new java.util.concurrent.CountDownLatch(1);
		serve(x -> {
			if (x.head.startsWith("GET /raw/leaving")) {
				hold(left);
			}
			return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
		});
		try (Socket client = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
			client.getOutputStream().write("GET /raw/leaving HTTP/1.1\r\nHost: x\r\n\r\n"
					.getBytes(StandardCharsets.ISO_8859_1));
			awaitRequest("GET /raw/leaving");
		}
		Thread.sleep(100); // the close arrives while the request is with the backend
		left.countDown();
		for (int i = 0; i < 3; i++) {
			assertEquals("ok", backends.get(gateway, "/raw/after").body());
		}
	}

	/** Holds a scripted answer until the test lets it go (at most 30 s). */
	private static void hold(java.util.concurrent.CountDownLatch latch) {
		try {
			latch.await(30, java.util.concurrent.TimeUnit.SECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	/** Waits (at most 10 s) until the backend has read a request whose head starts so. */
	private void awaitRequest(String start) throws InterruptedException {
		long until = System.nanoTime() + 10_000_000_000L;
		while (backend.requests.stream().noneMatch(r -> r.head.startsWith(start)) && System.nanoTime() < until) {
			Thread.sleep(5);
		}
	}

	/** One response's body (Content-Length framing), read off a raw connection. */
	private static String readAnswer(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("the gateway closed the connection after " + head);
			}
			head.write(b);
		}
		String h = head.toString(StandardCharsets.ISO_8859_1);
		assertTrue(h.startsWith("HTTP/1.1 200 "), h);
		int length = Integer.parseInt(header(h, "Content-Length"));
		return new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
	}

	@Test
	void interimAnswersAreSkipped() throws Exception {
		serve(x -> "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nyes");
		assertEquals("yes", backends.post(gateway, "/raw/continue", "text/plain", "body").body());
	}

	private static String header(String head, String name) {
		for (String line : head.split("\r\n")) {
			int colon = line.indexOf(':');
			if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
				return line.substring(colon + 1).trim();
			}
		}
		return null;
	}

	/** One request as the backend read it, and what the script decides about its connection. */
	static final class Exchange {
		final String head;
		final byte[] body;
		boolean closeAfter;

		Exchange(String head, byte[] body) {
			this.head = head;
			this.body = body;
		}
	}

	/**
	 * A backend on a raw socket: it reads each request (a Content-Length or chunked body) and writes what the script
	 * returns for it (null: nothing, the connection stays open and silent).
	 */
	static final class ScriptedBackend implements AutoCloseable {
		final List<Exchange> requests = new CopyOnWriteArrayList<>();
		final AtomicInteger connections = new AtomicInteger();
		private final ServerSocket server;
		private final List<Socket> sockets = new CopyOnWriteArrayList<>();

		ScriptedBackend(Function<Exchange, String> script) throws IOException {
			server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			Thread t = new Thread(() -> {
				while (!server.isClosed()) {
					try {
						Socket s = server.accept();
						connections.incrementAndGet();
						sockets.add(s);
						Thread c = new Thread(() -> serve(s, script), "scripted-backend-connection");
						c.setDaemon(true);
						c.start();
					} catch (IOException closed) {
						return;
					}
				}
			}, "scripted-backend");
			t.setDaemon(true);
			t.start();
		}

		int port() {
			return server.getLocalPort();
		}

		private void serve(Socket s, Function<Exchange, String> script) {
			try (s) {
				InputStream in = s.getInputStream();
				OutputStream out = s.getOutputStream();
				while (true) {
					String head = readHead(in);
					if (head == null) {
						return;
					}
					Exchange x = new Exchange(head, readBody(in, head));
					requests.add(x);
					String answer = script.apply(x);
					if (answer == null) {
						continue;
					}
					out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
					out.flush();
					if (x.closeAfter) {
						return;
					}
				}
			} catch (IOException | RuntimeException gone) {
				// the gateway closed the connection, or sent what this backend cannot read (the test then fails)
			}
		}

		private static String readHead(InputStream in) throws IOException {
			ByteArrayOutputStream head = new ByteArrayOutputStream();
			int b;
			while ((b = in.read()) >= 0) {
				head.write(b);
				byte[] h = head.toByteArray();
				int n = h.length;
				if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
					return head.toString(StandardCharsets.ISO_8859_1);
				}
			}
			return null;
		}

		private static byte[] readBody(InputStream in, String head) throws IOException {
			String length = header(head, "Content-Length");
			if (length != null) {
				return in.readNBytes(Integer.parseInt(length));
			}
			String te = header(head, "Transfer-Encoding");
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
				while (true) {
					int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
					if (size == 0) {
						while (!line(in).isEmpty()) {
							// trailers
						}
						return body.toByteArray();
					}
					body.write(in.readNBytes(size));
					line(in);
				}
			}
			return body.toByteArray();
		}

		private static String line(InputStream in) throws IOException {
			StringBuilder sb = new StringBuilder();
			int b;
			while ((b = in.read()) >= 0 && b != '\n') {
				if (b != '\r') {
					sb.append((char) b);
				}
			}
			return sb.toString();
		}

		@Override
		public void close() throws IOException {
			server.close();
			for (Socket s : sockets) {
				s.close();
			}
		}
	}
}
