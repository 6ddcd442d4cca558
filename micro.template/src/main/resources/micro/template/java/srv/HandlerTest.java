package {{javaPackage}}.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;

import {{javaPackage}}.proto.Ping;
import {{javaPackage}}.proto.Pong;
import {{javaPackage}}.proto.Request;
import {{javaPackage}}.proto.StreamingRequest;
import {{javaPackage}}.proto.StreamingResponse;
import micro.errors.MicroError;
import micro.server.Context;
import micro.server.ServerStream;

class {{title}}Test {
	/** A stream that hands the handler the messages queued in {@code incoming} and keeps what it sends. */
	private static final class TestStream implements ServerStream {
		final Deque<Object> incoming = new ArrayDeque<>();
		final List<Object> sent = new ArrayList<>();

		@Override
		public Context context() {
			return null;
		}

		@Override
		public <T> T recv(Class<T> type) {
			return type.cast(incoming.poll());
		}

		@Override
		public void send(Object message) {
			sent.add(message);
		}
	}

	private final {{title}} handler = new {{title}}();

	@Test
	void callGreets() {
		assertEquals("Hello John", handler.Call(null, Request.newBuilder().setName("John").build()).getMsg());
	}

	@Test
	void streamSendsTheCountAskedFor() {
		TestStream stream = new TestStream();
		handler.Stream(null, StreamingRequest.newBuilder().setCount(3).build(), stream);
		assertEquals(List.of(0L, 1L, 2L), stream.sent.stream().map(m -> ((StreamingResponse) m).getCount()).toList());
	}

	@Test
	void aNegativeCountIsABadRequest() {
		MicroError e = assertThrows(MicroError.class,
				() -> handler.Stream(null, StreamingRequest.newBuilder().setCount(-1).build(), new TestStream()));
		assertEquals(400, e.code());
	}

	@Test
	void pingPongAnswersEveryPing() {
		TestStream stream = new TestStream();
		stream.incoming.add(Ping.newBuilder().setStroke(1).build());
		stream.incoming.add(Ping.newBuilder().setStroke(2).build());
		handler.PingPong(null, stream);
		assertEquals(List.of(Pong.newBuilder().setStroke(1).build(), Pong.newBuilder().setStroke(2).build()),
				stream.sent);
	}

	@Test
	void theEndpointsAreNamedAfterTheProtoService() {
		assertEquals("{{title}}", handler.handlerName());
	}
}
