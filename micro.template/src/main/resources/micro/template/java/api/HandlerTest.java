package {{javaPackage}}.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Type;
import java.util.Map;

import org.junit.jupiter.api.Test;

import go.api.Pair;
import go.api.Request;
import go.api.Response;
import micro.client.CallOptions;
import micro.client.Client;
import micro.client.ClientStream;
import micro.errors.MicroError;

class {{title}}Test {
	/** Answers every call as the backend service would, and keeps the last request. */
	private static final class BackendClient implements Client {
		micro.client.Request last;

		@Override
		public <T> T call(micro.client.Request request, Class<T> responseType, CallOptions options) {
			last = request;
			return responseType.cast(Map.of("msg", "Hello " + ((Map<?, ?>) request.body()).get("name")));
		}

		@Override
		public Object call(micro.client.Request request, Type responseType, CallOptions options) {
			throw new UnsupportedOperationException("not used by the handler");
		}

		@Override
		public ClientStream stream(micro.client.Request request, CallOptions options) {
			throw new UnsupportedOperationException("not used by the handler");
		}

		@Override
		public void publish(String topic, Object message, String contentType, CallOptions options) {
			throw new UnsupportedOperationException("not used by the handler");
		}
	}

	private final BackendClient backend = new BackendClient();
	private final {{title}} handler = new {{title}}(backend);

	@Test
	void callAsksTheBackendWithTheNameOfTheForm() {
		Request request = Request.newBuilder().setMethod("POST").setPath("/{{alias}}/call")
				.putPost("name", Pair.newBuilder().setKey("name").addValues("John").build()).build();
		Response response = handler.Call(null, request);
		assertEquals(200, response.getStatusCode());
		assertEquals("{\"message\":\"Hello John\"}", response.getBody());
		assertEquals({{title}}.BACKEND, backend.last.service());
		assertEquals("{{title}}.Call", backend.last.endpoint());
	}

	@Test
	void theQueryGivesTheNameToo() {
		Request request = Request.newBuilder().setMethod("GET")
				.putGet("name", Pair.newBuilder().setKey("name").addValues("Ann").build()).build();
		assertEquals("{\"message\":\"Hello Ann\"}", handler.Call(null, request).getBody());
	}

	@Test
	void noNameIsABadRequest() {
		MicroError e = assertThrows(MicroError.class, () -> handler.Call(null, Request.getDefaultInstance()));
		assertEquals(400, e.code());
	}
}
