package micro.server.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.util.concurrent.LinkedBlockingQueue;

import micro.codec.Codec;
import micro.codec.Frame;
import micro.errors.MicroError;
import micro.server.Context;
import micro.server.Server;
import micro.server.ServerStream;
import micro.transport.Message;

/**
 * The server side of one stream on a connection, multiplexed by its {@code Micro-Stream} id. Frames from the client
 * are queued by the connection's reader; a frame with {@code Micro-Error} (normally {@code EOS}) ends the client's
 * side.
 */
final class RpcStream implements ServerStream {
	/** Queued when the connection is gone. */
	private static final Message GONE = new Message();

	private final Connection connection;
	private final RpcServer.Call call;
	private final LinkedBlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
	private volatile boolean clientDone;
	private volatile boolean ended;

	RpcStream(Connection connection, RpcServer.Call call) {
		this.connection = connection;
		this.call = call;
	}

	String key() {
		return call.streamKey();
	}

	void deliver(Message m) {
		inbox.add(m);
	}

	void connectionClosed() {
		inbox.add(GONE);
	}

	@Override
	public Context context() {
		return call.context();
	}

	@Override
	public <T> T recv(Class<T> type) {
		@SuppressWarnings("unchecked")
		T t = (T) recv((Type) type);
		return t;
	}

	Object recv(Type type) {
		if (clientDone) {
			return null;
		}
		Message m;
		try {
			m = inbox.take();
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw MicroError.timeout(Server.ERROR_ID, "stream receive interrupted");
		}
		String error = m.header("Micro-Error");
		if (m == GONE || error != null && !error.isEmpty()) {
			clientDone = true;
			return null;
		}
		Codec codec = call.codec();
		try {
			byte[] body = codec.decodeEnvelope(new Frame(Frame.Kind.REQUEST), m.body());
			return codec.decodeBody(body, type);
		} catch (IOException e) {
			throw MicroError.badRequest(Server.ERROR_ID, e.getMessage());
		}
	}

	@Override
	public void send(Object message) {
		if (ended) {
			throw new IllegalStateException("stream " + key() + " of " + call.endpoint() + " has ended");
		}
		try {
			connection.send(call.streamFrame(Frame.Kind.RESPONSE, "", message));
		} catch (IOException e) {
			throw new UncheckedIOException("stream " + key() + ": " + e.getMessage(), e);
		}
	}

	void end() {
		ended = true;
	}
}
