package micro.example.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;

import org.junit.jupiter.api.Test;

import micro.errors.MicroError;
import micro.example.proto.Ping;
import micro.example.proto.Pong;
import micro.example.proto.Request;
import micro.example.proto.Response;
import micro.example.proto.StreamingRequest;
import micro.example.proto.StreamingResponse;
import micro.metadata.Metadata;
import micro.server.Context;
import micro.server.ServerStream;

class ExampleTest {
	private final Example example = new Example();

	/** A stream whose client side is a list of messages to receive and a list of what was sent. */
	static final class ScriptedStream implements ServerStream {
		final Queue<Object> incoming;
		final List<Object> sent = new ArrayList<>();

		ScriptedStream(Object... incoming) {
			this.incoming = new ArrayDeque<>(Arrays.asList(incoming));
		}

		@Override
		public Context context() {
			return new Context() {
				@Override
				public Metadata metadata() {
					return new Metadata();
				}

				@Override
				public String service() {
					return "go.micro.srv.example";
				}

				@Override
				public String endpoint() {
					return "Example.PingPong";
				}

				@Override
				public Instant deadline() {
					return null;
				}
			};
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

	@Test
	void callGreetsByName() {
		assertEquals(new Response("Hello John"), example.Call(new Request("John")));
	}

	@Test
	void callWithoutNameGreetsNobodyInParticular() {
		assertEquals(new Response("Hello "), example.Call(new Request(null)));
		assertEquals(new Response("Hello "), example.Call(null));
	}

	@Test
	void streamSendsCountNumberedResponses() {
		ScriptedStream stream = new ScriptedStream();
		example.Stream(new StreamingRequest(4), stream);
		assertEquals(List.of(new StreamingResponse(0), new StreamingResponse(1), new StreamingResponse(2),
				new StreamingResponse(3)), stream.sent);
	}

	@Test
	void streamOfZeroSendsNothing() {
		ScriptedStream stream = new ScriptedStream();
		example.Stream(new StreamingRequest(0), stream);
		assertTrue(stream.sent.isEmpty());
	}

	@Test
	void negativeStreamCountIsABadRequest() {
		ScriptedStream stream = new ScriptedStream();
		MicroError e = assertThrows(MicroError.class, () -> example.Stream(new StreamingRequest(-1), stream));
		assertEquals(400, e.code());
		assertEquals("go.micro.srv.example", e.id());
		assertTrue(stream.sent.isEmpty());
	}

	@Test
	void pingPongEchoesEveryStrokeUntilTheClientCloses() {
		ScriptedStream stream = new ScriptedStream(new Ping(1), new Ping(7), new Ping(3));
		example.PingPong(stream);
		assertEquals(List.of(new Pong(1), new Pong(7), new Pong(3)), stream.sent);
	}

	@Test
	void theOnlyPublicMethodsAreTheEndpoints() {
		List<String> names = Arrays.stream(Example.class.getDeclaredMethods())
				.filter(m -> java.lang.reflect.Modifier.isPublic(m.getModifiers())).map(java.lang.reflect.Method::getName)
				.sorted().toList();
		assertEquals(List.of("Call", "PingPong", "Stream"), names);
	}
}
