package {{javaPackage}}.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Type;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import {{javaPackage}}.{{title}}Service;
import {{javaPackage}}.handler.{{title}}Handler;
import micro.client.CallOptions;
import micro.client.Client;
import micro.client.ClientStream;
import micro.registry.Registry;
import micro.registry.Service;
import micro.registry.Watch;
import micro.registry.WatchListener;

/** The web app on 127.0.0.1, with a registry and a backend client that only record what they are asked. */
class {{title}}WebTest {
	private static final class RecordingRegistry implements Registry {
		final List<Service> registered = new CopyOnWriteArrayList<>();
		final List<Service> deregistered = new CopyOnWriteArrayList<>();

		@Override
		public String name() {
			return "recording";
		}

		@Override
		public void register(Service service, Duration ttl) {
			registered.add(service);
		}

		@Override
		public void deregister(Service service) {
			deregistered.add(service);
		}

		@Override
		public List<Service> getService(String name) {
			return List.of();
		}

		@Override
		public List<Service> listServices() {
			return List.of();
		}

		@Override
		public Watch watch(String service, WatchListener listener) {
			throw new UnsupportedOperationException("not used by the web app");
		}
	}

	private static final class BackendClient implements Client {
		micro.client.Request last;

		@Override
		public <T> T call(micro.client.Request request, Class<T> responseType, CallOptions options) {
			last = request;
			return responseType.cast(Map.of("msg", "Hello " + ((Map<?, ?>) request.body()).get("name")));
		}

		@Override
		public Object call(micro.client.Request request, Type responseType, CallOptions options) {
			throw new UnsupportedOperationException("not used by the web app");
		}

		@Override
		public ClientStream stream(micro.client.Request request, CallOptions options) {
			throw new UnsupportedOperationException("not used by the web app");
		}

		@Override
		public void publish(String topic, Object message, String contentType, CallOptions options) {
			throw new UnsupportedOperationException("not used by the web app");
		}
	}

	private final RecordingRegistry registry = new RecordingRegistry();
	private final BackendClient backend = new BackendClient();
	private final HttpClient http = HttpClient.newHttpClient();
	private {{title}}Web web;

	@BeforeEach
	void start() throws Exception {
		web = new {{title}}Web(registry, backend, "127.0.0.1:0");
	}

	@AfterEach
	void stop() {
		web.stop();
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void servesThePage() throws Exception {
		HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create("http://" + web.address() + "/")));
		assertEquals(200, page.statusCode());
		assertTrue(page.body().contains("{{title}}"), page.body());
		assertEquals(404, send(HttpRequest.newBuilder(URI.create("http://" + web.address() + "/missing.html")))
				.statusCode());
	}

	@Test
	void callAsksTheBackend() throws Exception {
		HttpResponse<String> reply = send(HttpRequest.newBuilder(URI.create("http://" + web.address() + "/call"))
				.POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"John\"}")));
		assertEquals(200, reply.statusCode());
		assertTrue(reply.body().startsWith("{\"msg\":\"Hello John\",\"ref\":"), reply.body());
		assertEquals({{title}}Handler.BACKEND, backend.last.service());
		HttpResponse<String> bad = send(HttpRequest.newBuilder(URI.create("http://" + web.address() + "/call"))
				.POST(HttpRequest.BodyPublishers.ofString("not json")));
		assertEquals(400, bad.statusCode());
	}

	@Test
	void registersItsAddressAndDeregistersOnStop() throws Exception {
		long deadline = System.currentTimeMillis() + 5000;
		while (registry.registered.isEmpty() && System.currentTimeMillis() < deadline) {
			Thread.sleep(20);
		}
		Service service = registry.registered.get(0);
		assertEquals({{title}}Service.NAME, service.name());
		assertEquals(web.address(), service.nodes().get(0).address());
		web.stop();
		assertEquals(service, registry.deregistered.get(0));
		web = new {{title}}Web(registry, backend, "127.0.0.1:0");
	}
}
