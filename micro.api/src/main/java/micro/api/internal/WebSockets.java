package micro.api.internal;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

import micro.client.CallOptions;
import micro.client.Client;
import micro.client.ClientStream;
import micro.codec.RawBody;
import micro.errors.MicroError;

/**
 * WebSocket upgrades: to a {@code stream=true} endpoint they are bridged to a client stream (gm:api/handler/rpc
 * stream.go: every frame is a message sent, every message received is a frame; text frames for JSON, binary for the
 * protobuf family or when the client asks for the {@code binary} subprotocol); for the {@code web} handler they are
 * tunnelled to the node's own WebSocket, frame by frame. The endpoint classes are public because Jetty reaches their
 * methods through public method handles.
 */
public final class WebSockets {
	private static final System.Logger LOG = System.getLogger(WebSockets.class.getName());
	/** Request headers not copied onto the backend's upgrade request: the client library writes its own. */
	private static final Set<String> HOP = Set.of("host", "upgrade", "connection", "sec-websocket-key",
			"sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol", "content-length",
			"transfer-encoding");

	private final ServerWebSocketContainer container;
	private final WebSocketClient backendClient;
	private final ExecutorService executor;

	WebSockets(ServerWebSocketContainer container, WebSocketClient backendClient, ExecutorService executor,
			long maxMessage) {
		this.container = container;
		this.backendClient = backendClient;
		this.executor = executor;
		container.setIdleTimeout(Duration.ofMinutes(10));
		container.setMaxTextMessageSize(maxMessage);
		container.setMaxBinaryMessageSize(maxMessage);
	}

	static boolean isUpgrade(Request request) {
		String upgrade = request.getHeaders().get("Upgrade");
		return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
	}

	/** Bridges the upgrade to a stream of the endpoint; {@code first} (the query as JSON) is sent first when not empty. */
	boolean stream(Request request, Response response, Callback callback, Client client, String service,
			String endpoint, String contentType, byte[] first, CallOptions options) {
		return container.upgrade((upgradeRequest, upgradeResponse, cb) -> {
			boolean binary = upgradeRequest.hasSubProtocol("binary") || RpcHandler.PROTO_TYPES.contains(contentType);
			if (upgradeRequest.hasSubProtocol("binary")) {
				upgradeResponse.setAcceptedSubProtocol("binary");
			} else if (!upgradeRequest.getSubProtocols().isEmpty()) {
				upgradeResponse.setAcceptedSubProtocol(upgradeRequest.getSubProtocols().get(0));
			}
			String callType = RpcHandler.PROTO_TYPES.contains(contentType) ? "application/protobuf" : "application/json";
			return new StreamBridge(client, new micro.client.Request(service, endpoint, new RawBody(new byte[0]), callType),
					options, first, binary, executor);
		}, request, response, callback);
	}

	/** Tunnels the upgrade to {@code ws://<node><path>?<query>}. */
	boolean tunnel(Request request, Response response, Callback callback, String nodeAddress) {
		String query = request.getHttpURI().getQuery();
		URI target = URI.create("ws://" + nodeAddress + request.getHttpURI().getPath() + (query == null ? "" : "?" + query));
		List<HttpField> headers = new ArrayList<>();
		for (HttpField f : request.getHeaders()) {
			if (!HOP.contains(f.getName().toLowerCase(Locale.ROOT))) {
				headers.add(f);
			}
		}
		return container.upgrade((upgradeRequest, upgradeResponse, cb) -> {
			List<String> protocols = upgradeRequest.getSubProtocols();
			if (!protocols.isEmpty()) {
				upgradeResponse.setAcceptedSubProtocol(protocols.get(0));
			}
			ClientUpgradeRequest up = new ClientUpgradeRequest(target);
			for (HttpField f : headers) {
				up.setHeader(f.getName(), f.getValue());
			}
			if (!protocols.isEmpty()) {
				up.setSubProtocols(protocols);
			}
			return new Tunnel(backendClient, up);
		}, request, response, callback);
	}

	private static void closeWith(Session session, MicroError error) {
		if (session != null && session.isOpen()) {
			String reason = error.toJson();
			if (reason.getBytes(StandardCharsets.UTF_8).length > 123) {
				reason = error.detail().length() > 100 ? error.detail().substring(0, 100) : error.detail();
			}
			session.close(error.code() == 408 ? StatusCode.SHUTDOWN : StatusCode.SERVER_ERROR, reason,
					org.eclipse.jetty.websocket.api.Callback.NOOP);
		}
	}

	/** One WebSocket bridged to one client stream. */
	public static final class StreamBridge implements Session.Listener.AutoDemanding {
		private final Client client;
		private final micro.client.Request call;
		private final CallOptions options;
		private final byte[] first;
		private final boolean binary;
		private final ExecutorService executor;
		private volatile ClientStream stream;
		private volatile Session session;

		StreamBridge(Client client, micro.client.Request call, CallOptions options, byte[] first, boolean binary,
				ExecutorService executor) {
			this.client = client;
			this.call = call;
			this.options = options;
			this.first = first;
			this.binary = binary;
			this.executor = executor;
		}

		@Override
		public void onWebSocketOpen(Session s) {
			session = s;
			try {
				stream = client.stream(call, options);
				if (first != null && first.length > 0) {
					stream.send(new RawBody(first));
				}
			} catch (MicroError e) {
				closeWith(s, e);
				return;
			}
			executor.execute(this::pump);
		}

		/** Stream → socket, until the stream ends. */
		private void pump() {
			ClientStream st = stream;
			try {
				RawBody m;
				while ((m = st.recv(RawBody.class)) != null) {
					byte[] bytes = m.bytes();
					if (binary) {
						session.sendBinary(ByteBuffer.wrap(bytes), org.eclipse.jetty.websocket.api.Callback.NOOP);
					} else {
						session.sendText(new String(bytes, StandardCharsets.UTF_8), org.eclipse.jetty.websocket.api.Callback.NOOP);
					}
				}
				session.close(StatusCode.NORMAL, null, org.eclipse.jetty.websocket.api.Callback.NOOP);
			} catch (MicroError e) {
				closeWith(session, e);
			} catch (RuntimeException e) {
				closeWith(session, MicroError.internalServerError("go.micro.api", String.valueOf(e.getMessage())));
			} finally {
				st.close();
			}
		}

		@Override
		public void onWebSocketText(String message) {
			send(message.getBytes(StandardCharsets.UTF_8));
		}

		@Override
		public void onWebSocketBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback callback) {
			byte[] bytes = new byte[payload.remaining()];
			payload.get(bytes);
			send(bytes);
			callback.succeed();
		}

		private void send(byte[] bytes) {
			ClientStream st = stream;
			if (st == null) {
				return;
			}
			try {
				st.send(new RawBody(bytes));
			} catch (MicroError e) {
				closeWith(session, e);
			}
		}

		@Override
		public void onWebSocketClose(int statusCode, String reason) {
			ClientStream st = stream;
			if (st != null) {
				st.close();
			}
		}

		@Override
		public void onWebSocketError(Throwable cause) {
			LOG.log(System.Logger.Level.DEBUG, "api websocket stream: " + cause);
			onWebSocketClose(StatusCode.SERVER_ERROR, null);
		}
	}

	/** One client WebSocket tunnelled to one backend WebSocket. */
	public static final class Tunnel implements Session.Listener.AutoDemanding {
		private final WebSocketClient backendClient;
		private final ClientUpgradeRequest upgrade;
		private volatile Session client;
		private volatile Session backend;

		Tunnel(WebSocketClient backendClient, ClientUpgradeRequest upgrade) {
			this.backendClient = backendClient;
			this.upgrade = upgrade;
		}

		@Override
		public void onWebSocketOpen(Session s) {
			client = s;
			try {
				backend = backendClient.connect(new Relay(s), upgrade).get(10, TimeUnit.SECONDS);
			} catch (Exception e) {
				closeWith(s, MicroError.of("go.micro.api", 502, "backend websocket: "
						+ (e.getCause() != null ? e.getCause().getMessage() : e.getMessage())));
			}
		}

		@Override
		public void onWebSocketText(String message) {
			Session b = backend;
			if (b != null) {
				b.sendText(message, org.eclipse.jetty.websocket.api.Callback.NOOP);
			}
		}

		@Override
		public void onWebSocketBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback callback) {
			Session b = backend;
			if (b != null) {
				b.sendBinary(copy(payload), callback);
			} else {
				callback.succeed();
			}
		}

		@Override
		public void onWebSocketClose(int statusCode, String reason) {
			Session b = backend;
			if (b != null && b.isOpen()) {
				b.close(statusCode, reason, org.eclipse.jetty.websocket.api.Callback.NOOP);
			}
		}
	}

	/** The backend side of a tunnel: what the backend sends goes to the client. */
	public static final class Relay implements Session.Listener.AutoDemanding {
		private final Session client;

		Relay(Session client) {
			this.client = client;
		}

		@Override
		public void onWebSocketText(String message) {
			client.sendText(message, org.eclipse.jetty.websocket.api.Callback.NOOP);
		}

		@Override
		public void onWebSocketBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback callback) {
			client.sendBinary(copy(payload), callback);
		}

		@Override
		public void onWebSocketClose(int statusCode, String reason) {
			if (client.isOpen()) {
				client.close(statusCode, reason, org.eclipse.jetty.websocket.api.Callback.NOOP);
			}
		}
	}

	private static ByteBuffer copy(ByteBuffer b) {
		ByteBuffer c = ByteBuffer.allocate(b.remaining());
		c.put(b);
		c.flip();
		return c;
	}

}
