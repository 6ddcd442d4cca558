package micro.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import micro.example.ExampleService;
import micro.example.handler.Example;
import micro.registry.Node;
import micro.registry.Service;

/** WebSocket streaming to stream=true endpoints (rpc handler) and WebSocket tunnelling (web handler). */
class WebSocketTest {
	static Backends backends;
	static ApiGateway rpc;
	static Server echo;

	/** What a test's socket received: text frames, then {@code close:<code>}. */
	static final class Received implements WebSocket.Listener {
		final BlockingQueue<String> events = new LinkedBlockingQueue<>();
		private final StringBuilder text = new StringBuilder();

		@Override
		public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
			text.append(data);
			if (last) {
				events.add(text.toString());
				text.setLength(0);
			}
			ws.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
			events.add("binary:" + data.remaining());
			ws.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
			events.add("close:" + statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket ws, Throwable error) {
			events.add("error:" + error);
		}

		String next() throws InterruptedException {
			String e = events.poll(5, TimeUnit.SECONDS);
			assertNotNull(e, "nothing received within 5 s");
			return e;
		}
	}

	/** The web app's socket: echoes each text frame after the path and query it was opened at. */
	public static final class Echo implements Session.Listener.AutoDemanding {
		private final String where;
		private Session session;

		Echo(String where) {
			this.where = where;
		}

		@Override
		public void onWebSocketOpen(Session s) {
			session = s;
		}

		@Override
		public void onWebSocketText(String message) {
			session.sendText(where + " " + message, Callback.NOOP);
		}
	}

	@BeforeAll
	static void start() throws Exception {
		backends = new Backends();
		backends.serve(ExampleService.NAME, new Example());
		rpc = backends.gateway(Map.of(ApiOptions.API_HANDLER, "rpc", ApiOptions.API_NAMESPACE, "go.micro.srv"));

		// a web app with its own WebSocket: echoes frames, prefixed with the path it was reached at
		echo = new Server();
		ServerConnector c = new ServerConnector(echo);
		c.setHost("127.0.0.1");
		c.setPort(0);
		echo.addConnector(c);
		echo.setHandler(WebSocketUpgradeHandler.from(echo, container -> container.addMapping("/*",
				(req, rsp, cb) -> new Echo(req.getHttpURI().getPathQuery()))));
		echo.start();
		backends.micro.registry().register(new Service("go.micro.web.chat", "latest", Map.of(), List.of(),
				List.of(new Node("go.micro.web.chat-1", "127.0.0.1:" + c.getLocalPort(), Map.of()))), Duration.ofMinutes(1));
	}

	@AfterAll
	static void stop() throws Exception {
		rpc.stop();
		echo.stop();
		backends.close();
	}

	static WebSocket connect(ApiGateway g, String path, Received listener) throws Exception {
		return backends.http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + g.port() + path), listener)
				.get(5, TimeUnit.SECONDS);
	}

	@Test
	void serverStreamFromTheQuery() throws Exception {
		Received r = new Received();
		connect(rpc, "/example/stream?count=3", r);
		assertEquals("{\"count\":0}", r.next());
		assertEquals("{\"count\":1}", r.next());
		assertEquals("{\"count\":2}", r.next());
		assertEquals("close:1000", r.next());
	}

	@Test
	void serverStreamFromTheFirstFrame() throws Exception {
		Received r = new Received();
		WebSocket ws = connect(rpc, "/example/stream", r);
		ws.sendText("{\"count\":2}", true);
		assertEquals("{\"count\":0}", r.next());
		assertEquals("{\"count\":1}", r.next());
		assertEquals("close:1000", r.next());
	}

	@Test
	void bidirectionalPingPong() throws Exception {
		Received r = new Received();
		WebSocket ws = connect(rpc, "/example/ping-pong", r);
		for (int i = 1; i <= 3; i++) {
			ws.sendText("{\"stroke\":" + i + "}", true).get(5, TimeUnit.SECONDS);
			assertEquals("{\"stroke\":" + i + "}", r.next());
		}
		ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
		assertTrue(r.next().startsWith("close:"));
	}

	@Test
	void aStreamErrorClosesTheSocketWithTheError() throws Exception {
		Received r = new Received();
		connect(rpc, "/example/stream?count=-1", r);
		assertEquals("close:1011", r.next());
	}

	@Test
	void webHandlerTunnelsWebSockets() throws Exception {
		ApiGateway web = backends.gateway(Map.of(ApiOptions.API_HANDLER, "web", ApiOptions.API_NAMESPACE, "go.micro.web"));
		try {
			Received r = new Received();
			WebSocket ws = connect(web, "/chat/room?x=1", r);
			ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
			assertEquals("/chat/room?x=1 hello", r.next());
			ws.sendText("again", true).get(5, TimeUnit.SECONDS);
			assertEquals("/chat/room?x=1 again", r.next());
			ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
			assertTrue(r.next().startsWith("close:"));
			// plain HTTP through the web handler is proxied as by the http handler
			assertTrue(backends.get(web, "/chat/page").statusCode() >= 400);
		} finally {
			web.stop();
		}
	}

}
