package micro.server.internal;

import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import micro.transport.Message;
import micro.transport.Socket;

/**
 * Reads the frames of one transport connection and routes them: a frame of a running stream goes to that stream, an
 * event ({@code Micro-Topic}) to the subscribers, anything else starts a request on the server's workers. Responses
 * are written by the workers; the socket serialises them.
 */
final class Connection {
	private static final System.Logger LOG = System.getLogger(RpcServer.class.getName());

	private final RpcServer server;
	private final Socket socket;
	private final Map<String, RpcStream> streams = new ConcurrentHashMap<>();

	Connection(RpcServer server, Socket socket) {
		this.server = server;
		this.socket = socket;
	}

	Socket socket() {
		return socket;
	}

	void serve() {
		try {
			while (true) {
				onFrame(socket.recv());
			}
		} catch (EOFException e) {
			// the client closed the connection
		} catch (IOException e) {
			LOG.log(System.Logger.Level.DEBUG, "connection {0} ended: {1}", socket.remoteAddress(), e.getMessage());
		} finally {
			for (RpcStream s : streams.values()) {
				s.connectionClosed();
			}
		}
	}

	private void onFrame(Message msg) {
		Map<String, String> h = msg.header();
		String topic = h.get("Micro-Topic");
		if (topic != null && !topic.isEmpty()) {
			server.serveEvent(this, msg, topic);
			return;
		}
		String stream = h.get("Micro-Stream");
		String key = stream != null && !stream.isEmpty() ? stream : h.getOrDefault("Micro-Id", "");
		if (!key.isEmpty()) {
			RpcStream existing = streams.get(key);
			if (existing != null) {
				existing.deliver(msg);
				return;
			}
		}
		String error = h.get("Micro-Error");
		if (error != null && !error.isEmpty()) {
			// the client's EOS or error for a stream that has already ended
			return;
		}
		server.dispatch(this, msg, key);
	}

	void addStream(RpcStream s) {
		streams.put(s.key(), s);
	}

	void removeStream(RpcStream s) {
		streams.remove(s.key(), s);
	}

	void send(Message m) throws IOException {
		socket.send(m);
	}
}
