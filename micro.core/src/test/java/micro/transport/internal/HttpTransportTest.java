package micro.transport.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import micro.transport.Listener;
import micro.transport.Message;
import micro.transport.Socket;

class HttpTransportTest {
	private static final Duration DIAL = Duration.ofSeconds(2);
	private final HttpTransport transport = new HttpTransport();
	private final List<AutoCloseable> toClose = new ArrayList<>();

	@AfterEach
	void closeAll() throws Exception {
		for (AutoCloseable c : toClose) {
			c.close();
		}
	}

	private Listener echoServer(HttpTransport t) throws IOException {
		Listener l = t.listen("127.0.0.1:0");
		toClose.add(l);
		l.accept(sock -> {
			try {
				while (true) {
					Message m = sock.recv();
					int copies = Integer.parseInt(m.header().getOrDefault("Copies", "1"));
					for (int i = 0; i < copies; i++) {
						sock.send(new Message(Map.of("Micro-Id", m.header().getOrDefault("Micro-Id", ""), "Copy", "" + i),
								m.body()));
					}
				}
			} catch (IOException done) {
				// client went away
			}
		});
		return l;
	}

	private static byte[] utf8(String s) {
		return s.getBytes(StandardCharsets.UTF_8);
	}

	private static String readAll(InputStream in) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] b = new byte[4096];
		int n;
		while ((n = in.read(b)) >= 0) {
			out.write(b, 0, n);
		}
		return out.toString(StandardCharsets.UTF_8);
	}

	@Test
	void framesBothWaysOnOnePersistentConnectionWithEchoedHeaders() throws IOException {
		Listener l = echoServer(transport);
		assertTrue(l.address().startsWith("127.0.0.1:"), l.address());
		assertTrue(Integer.parseInt(l.address().substring(10)) > 0);
		try (Socket c = transport.dial(l.address(), DIAL)) {
			c.send(new Message(Map.of("Micro-Service", "go.micro.srv.example", "Micro-Id", "0", "Copies", "3"),
					utf8("first")));
			for (int i = 0; i < 3; i++) {
				Message r = c.recv();
				assertEquals("first", new String(r.body(), StandardCharsets.UTF_8));
				assertEquals("" + i, r.header("Copy"));
				assertEquals("0", r.header("micro-id"));
				// the first request's headers come back in every response, as Go's transport does
				assertEquals("go.micro.srv.example", r.header("Micro-Service"));
			}
			for (int i = 1; i <= 50; i++) {
				c.send(new Message(Map.of("Micro-Id", "" + i), utf8("n" + i)));
			}
			for (int i = 1; i <= 50; i++) {
				Message r = c.recv();
				assertEquals("" + i, r.header("Micro-Id"));
				assertEquals("n" + i, new String(r.body(), StandardCharsets.UTF_8));
				assertEquals("go.micro.srv.example", r.header("Micro-Service"));
			}
			c.send(new Message(Map.of("Micro-Id", "big"), new byte[300_000]));
			assertEquals(300_000, c.recv().body().length);
			c.send(new Message(Map.of("Micro-Id", "empty"), null));
			assertEquals(0, c.recv().body().length);
		}
	}

	@Test
	void clientWritesGoStyleRequests() throws Exception {
		try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			String addr = "127.0.0.1:" + raw.getLocalPort();
			try (Socket c = transport.dial(addr, DIAL); java.net.Socket s = raw.accept()) {
				c.send(new Message(Map.of("Micro-Id", "7", "Content-Type", "application/json"), utf8("{}")));
				byte[] got = new byte[200];
				int n = 0;
				String text;
				do {
					n += s.getInputStream().read(got, n, got.length - n);
					text = new String(got, 0, n, StandardCharsets.UTF_8);
				} while (!text.endsWith("{}"));
				assertTrue(text.startsWith("POST / HTTP/1.1\r\nHost: " + addr + "\r\nContent-Length: 2\r\n"), text);
				assertTrue(text.contains("\r\nMicro-Id: 7\r\n"), text);
				assertTrue(text.contains("\r\nContent-Type: application/json\r\n"), text);
				assertTrue(text.endsWith("\r\n\r\n{}"), text);

				s.getOutputStream().write(utf8("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\noops"
						+ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\nX-A: 2\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
				IOException e = assertThrows(IOException.class, c::recv);
				assertEquals("500 Internal Server Error: oops", e.getMessage());
				Message ok = c.recv();
				assertEquals("abcde", new String(ok.body(), StandardCharsets.UTF_8));
				assertEquals("1", ok.header("x-a"));
				s.close();
				assertThrows(EOFException.class, c::recv);
			}
		}
	}

	@Test
	void serverWritesRawHttpResponses() throws Exception {
		Listener l = echoServer(transport);
		InetSocketAddress a = Addresses.parse(l.address(), false);
		try (java.net.Socket s = new java.net.Socket(a.getAddress(), a.getPort())) {
			s.getOutputStream().write(utf8("POST / HTTP/1.1\r\nHost: x\r\nMicro-Id: 1\r\nX-Echo: yes\r\n"
					+ "Content-Length: 5\r\n\r\nhello"));
			s.shutdownOutput();
			String text = readAll(s.getInputStream());
			assertTrue(text.startsWith("HTTP/1.1 200 OK\r\n"), text);
			assertTrue(text.contains("\r\nX-Echo: yes\r\n"), text);
			assertTrue(text.contains("\r\nContent-Length: 5\r\n"), text);
			assertTrue(text.endsWith("\r\n\r\nhello"), text);
			assertTrue(!text.contains("Host:"), text);
		}
	}

	/** Sends bytes on a plain socket and returns what comes back until the server closes the connection. */
	private static String sendRaw(String address, byte[] bytes) throws IOException {
		InetSocketAddress a = Addresses.parse(address, false);
		try (java.net.Socket s = new java.net.Socket(a.getAddress(), a.getPort())) {
			s.setSoTimeout(5000);
			s.getOutputStream().write(bytes);
			return readAll(s.getInputStream());
		}
	}

	@Test
	void malformedFramesCloseTheConnectionAndTheListenerKeepsServing() throws IOException {
		HttpTransport small = new HttpTransport(4096, 1000);
		Listener l = echoServer(small);
		String hugeHeader = "POST / HTTP/1.1\r\nX-Big: " + "a".repeat(10_000) + "\r\nContent-Length: 0\r\n\r\n";
		Map<String, String> cases = Map.of(
				"garbage", "\u0000\u0001garbage bytes that are not http\r\n\r\n",
				"no length", "POST / HTTP/1.1\r\nMicro-Id: 1\r\n\r\nbody",
				"bad length", "POST / HTTP/1.1\r\nContent-Length: 12x\r\n\r\n",
				"big header", hugeHeader,
				"big body", "POST / HTTP/1.1\r\nContent-Length: 1001\r\n\r\n",
				"bad header", "POST / HTTP/1.1\r\nno colon here\r\nContent-Length: 0\r\n\r\n");
		for (Map.Entry<String, String> c : cases.entrySet()) {
			String answer = sendRaw(l.address(), utf8(c.getValue()));
			assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), c.getKey() + ": " + answer);
			assertTrue(answer.contains("malformed frame"), c.getKey() + ": " + answer);
		}
		// a good frame after a bad one on another connection is served
		try (Socket c = small.dial(l.address(), DIAL)) {
			c.send(new Message(Map.of("Micro-Id", "1"), utf8("still here")));
			assertEquals("still here", new String(c.recv().body(), StandardCharsets.UTF_8));
		}
		// a good frame followed by a bad one on the same connection: the first is answered, then it closes
		String answer = sendRaw(l.address(), utf8("POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nokGARBAGE\r\n\r\n"));
		assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
		assertTrue(answer.contains("\r\n\r\nokHTTP/1.1 400 Bad Request"), answer);
	}

	@Test
	void concurrentSendersDoNotInterleaveFrames() throws Exception {
		Listener l = echoServer(transport);
		try (Socket c = transport.dial(l.address(), DIAL)) {
			int threads = 8;
			int each = 50;
			CountDownLatch done = new CountDownLatch(threads);
			for (int t = 0; t < threads; t++) {
				int id = t;
				Thread sender = new Thread(() -> {
					try {
						for (int i = 0; i < each; i++) {
							c.send(new Message(Map.of("Micro-Id", id + "-" + i), utf8("x".repeat(id * 100 + i))));
						}
					} catch (IOException e) {
						throw new IllegalStateException(e);
					} finally {
						done.countDown();
					}
				});
				sender.setDaemon(true);
				sender.start();
			}
			Map<String, Integer> seen = new ConcurrentHashMap<>();
			for (int i = 0; i < threads * each; i++) {
				Message m = c.recv();
				String[] parts = m.header("Micro-Id").split("-");
				assertEquals(Integer.parseInt(parts[0]) * 100 + Integer.parseInt(parts[1]), m.body().length);
				seen.merge(parts[0], 1, Integer::sum);
			}
			assertTrue(done.await(5, TimeUnit.SECONDS));
			assertEquals(threads, seen.size());
			seen.values().forEach(n -> assertEquals(each, n));
		}
	}

	@Test
	void headersWithLineBreaksAreRefused() throws IOException {
		Listener l = echoServer(transport);
		try (Socket c = transport.dial(l.address(), DIAL)) {
			IOException e = assertThrows(IOException.class,
					() -> c.send(new Message(Map.of("X-Evil", "a\r\nInjected: 1"), new byte[0])));
			assertTrue(e.getMessage().contains("line break"), e.getMessage());
			// nothing was written: the connection still works
			c.send(new Message(Map.of("Micro-Id", "ok", "X-Text", "grüße"), utf8("fine")));
			Message m = c.recv();
			assertEquals("fine", new String(m.body(), StandardCharsets.UTF_8));
			assertEquals("grüße", m.header("X-Text"));
		}
	}

	@Test
	void addressesParseAndPrintAsGoDoes() throws IOException {
		assertTrue(Addresses.parse(":0", true).getAddress().isAnyLocalAddress());
		assertTrue(Addresses.parse("", true).getAddress().isAnyLocalAddress());
		assertTrue(Addresses.parse(":8080", false).getAddress().isLoopbackAddress());
		assertEquals(9090, Addresses.parse("127.0.0.1:9090", true).getPort());
		assertEquals("[::1]:80", Addresses.format(Addresses.parse("[::1]:80", true)));
		assertEquals("[fe80::1:0:0:2]:1", Addresses.format(Addresses.parse("[fe80:0:0:0:1:0:0:2]:1", true)));
		assertEquals("[::]:5", Addresses.format(InetAddress.getByName("::"), 5));
		assertEquals("10.1.2.3:4", Addresses.format(InetAddress.getByName("10.1.2.3"), 4));
		for (String bad : List.of("nohost", "1.2.3.4:x", "1.2.3.4:70000", "::1:80", "[::1]80")) {
			assertThrows(IOException.class, () -> Addresses.parse(bad, true), bad);
		}
	}

	@Test
	void listensOnIpv6Loopback() throws IOException {
		Listener l;
		try {
			l = transport.listen("[::1]:0");
		} catch (IOException e) {
			Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
			return;
		}
		toClose.add(l);
		assertTrue(l.address().startsWith("[::1]:"), l.address());
		l.accept(s -> {
			try {
				s.send(s.recv());
			} catch (IOException ignored) {
				// closed
			}
		});
		try (Socket c = transport.dial(l.address(), DIAL)) {
			c.send(new Message(Map.of(), utf8("v6")));
			assertArrayEquals(utf8("v6"), c.recv().body());
		}
	}

	@Test
	void dialFailuresAreClear() throws IOException {
		// a bound socket that does not listen: the port is held, and connecting to it is refused
		try (java.net.Socket holder = new java.net.Socket()) {
			holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			int port = holder.getLocalPort();
			IOException e = assertThrows(IOException.class, () -> transport.dial("127.0.0.1:" + port, DIAL));
			assertTrue(e.getMessage().startsWith("dial 127.0.0.1:" + port), e.getMessage());
		}
		assertThrows(IOException.class, () -> transport.dial("127.0.0.1:0", DIAL));
	}

	@Test
	void aReceiveTimeoutEndsTheWaitAndClosesTheConnection() throws IOException {
		Listener l = echoServer(transport);
		Socket c = transport.dial(l.address(), DIAL);
		toClose.add(c);
		c.setTimeout(Duration.ofSeconds(5));
		c.send(new Message(Map.of(), utf8("a")));
		assertArrayEquals(utf8("a"), c.recv().body(), "a frame within the timeout");
		c.setTimeout(Duration.ofMillis(200));
		long start = System.nanoTime();
		// the echo server answers nothing when asked for no copies
		c.send(new Message(Map.of("Copies", "0"), utf8("b")));
		SocketTimeoutException e = assertThrows(SocketTimeoutException.class, c::recv);
		long waited = System.nanoTime() - start;
		assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(200), "waited " + waited + " ns");
		assertTrue(waited < TimeUnit.SECONDS.toNanos(4), "waited " + waited + " ns");
		assertEquals("no frame within 200 ms", e.getMessage());
		assertTrue(c.isClosed(), "a half-read frame cannot be resumed: the connection is closed");
		assertThrows(EOFException.class, c::recv);
	}

	@Test
	void aTimeoutOfZeroWaitsAsLongAsItTakes() throws Exception {
		Listener l = transport.listen("127.0.0.1:0");
		toClose.add(l);
		l.accept(sock -> {
			try {
				Message m = sock.recv();
				Thread.sleep(300);
				sock.send(m);
			} catch (IOException | InterruptedException done) {
				// the test has ended
			}
		});
		Socket c = transport.dial(l.address(), DIAL);
		toClose.add(c);
		c.setTimeout(Duration.ofMillis(50));
		c.setTimeout(Duration.ZERO);
		c.send(new Message(Map.of(), utf8("late")));
		assertArrayEquals(utf8("late"), c.recv().body());
		assertFalse(c.isClosed());
	}

	@Test
	void closingTheListenerClosesItsConnections() throws IOException {
		Listener l = echoServer(transport);
		Socket c = transport.dial(l.address(), DIAL);
		c.send(new Message(Map.of(), utf8("a")));
		c.recv();
		l.close();
		c.setTimeout(Duration.ofSeconds(5));
		assertThrows(EOFException.class, c::recv);
		// (dialling the old address again is no test: another process may have the port by now)
		assertThrows(IllegalStateException.class, () -> l.accept(s -> {
		}));
	}
}
