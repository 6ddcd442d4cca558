package micro.api.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import micro.config.MicroConfig;
import micro.errors.MicroError;
import micro.registry.internal.MemoryRegistry;
import micro.runtime.Micro;
import micro.server.Context;
import micro.server.Server;
import micro.server.ServerOptions;

/** Real services on a memory registry, and an HTTP client for the gateway under test. */
final class Backends implements AutoCloseable {
	public record Hello(String name) {
	}

	public record Reply(String msg) {
	}

	public record Nap(long millis) {
	}

	/** go.micro.api.greeter and go.micro.srv.greeter. */
	public static final class Greeter {
		public Reply Hello(Hello req) {
			return new Reply("Hello " + req.name());
		}

		/** The metadata the gateway passed on. */
		public Map<String, String> Whoami(Context ctx, Hello req) {
			return Map.of("host", String.valueOf(ctx.metadata().get("Host")), "method",
					String.valueOf(ctx.metadata().get("Method")), "trace", String.valueOf(ctx.metadata().get("X-Trace-Id")));
		}

		public Reply Sleep(Nap nap) throws InterruptedException {
			Thread.sleep(nap.millis());
			return new Reply("slept " + nap.millis());
		}

		public Reply Refuse(Hello req) {
			throw MicroError.forbidden("go.micro.srv.greeter", "not you, " + req.name());
		}

		public byte[] Raw(byte[] in) {
			return new byte[0];
		}
	}

	final Micro micro;
	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	Backends() throws IOException {
		micro = Micro.builder().config(MicroConfig.of(Map.of())).registry(new MemoryRegistry()).build();
	}

	Server serve(String name, Object handler) throws IOException {
		return serve(name, null, handler, Map.of());
	}

	Server serve(String name, String type, Object handler, Map<String, Map<String, String>> endpointMetadata)
			throws IOException {
		Server s = micro.newServer(ServerOptions.named(name));
		s.handle(type, handler, endpointMetadata);
		s.start();
		return s;
	}

	ApiGateway gateway(Map<String, String> config) throws Exception {
		Map<String, String> c = new java.util.HashMap<>(config);
		c.putIfAbsent(ApiOptions.API_ADDRESS, "127.0.0.1:0");
		ApiGateway g = new ApiGateway(ApiOptions.from(MicroConfig.of(c)), micro.client(), micro.registry(), micro.broker());
		g.start();
		return g;
	}

	static URI uri(ApiGateway g, String pathAndQuery) {
		return URI.create("http://127.0.0.1:" + g.port() + pathAndQuery);
	}

	HttpResponse<String> post(ApiGateway g, String path, String contentType, String body) throws Exception {
		return http.send(HttpRequest.newBuilder(uri(g, path)).header("Content-Type", contentType)
				.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> get(ApiGateway g, String path) throws Exception {
		return http.send(HttpRequest.newBuilder(uri(g, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> send(HttpRequest request) throws Exception {
		return http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	@Override
	public void close() {
		micro.close();
	}
}
