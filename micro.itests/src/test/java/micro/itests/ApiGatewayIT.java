package micro.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;

import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

import micro.api.ApiHandler;
import micro.api.ApiResponse;
import micro.config.MicroConfig;
import micro.registry.Registry;
import micro.runtime.MicroTargets;
import micro.server.HandlerProperties;
import micro.server.ServerStream;

/**
 * The API gateway inside the container: Jetty 12 under SPI Fly, configured through the {@code micro} PID, routing to a
 * whiteboard handler, registered as {@code go.micro.api}, and using a handler plugin from the moment its service
 * appears (as when a handler bundle is hot-installed), without a restart.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ApiGatewayIT {
	static final String SERVICE = "go.micro.srv.greeter";

	@Inject
	BundleContext context;

	@Inject
	ConfigurationAdmin configAdmin;

	@Configuration
	public Option[] config() {
		File dir = new File(System.getProperty("micro.api.bundles.dir", "target/api-bundles"));
		File[] jars = dir.listFiles((d, n) -> n.endsWith(".jar"));
		if (jars == null) {
			throw new IllegalStateException("no bundles in " + dir + "; run through Maven (mvn verify)");
		}
		Arrays.sort(jars);
		List<Option> api = new ArrayList<>();
		for (File jar : jars) {
			api.add(bundle(jar.toURI().toString()));
		}
		return new Option[] { ContainerOptions.container(name -> name.startsWith("micro.registry.mdns")),
				composite(api.toArray(Option[]::new)) };
	}

	/** A whiteboard handler: {@code Greeter.Hello}. */
	public static class Greeter {
		public Map<String, String> Hello(Map<String, String> request) {
			return Map.of("greeting", "Hello " + request.get("name"));
		}

		/** A server stream: {@code n} messages, then the end. */
		public void Count(Map<String, Object> request, ServerStream stream) {
			int n = Integer.parseInt(String.valueOf(request.get("n")));
			for (int i = 0; i < n; i++) {
				stream.send(Map.of("i", i));
			}
		}
	}

	@Test
	public void gatewayRoutesAndPicksUpHandlerPlugins() throws Exception {
		for (Bundle b : context.getBundles()) {
			if (b.getSymbolicName() != null && (b.getSymbolicName().startsWith("org.eclipse.jetty")
					|| b.getSymbolicName().equals("micro.api"))) {
				assertEquals(b.getSymbolicName() + " is active", Bundle.ACTIVE, b.getState());
			}
		}
		int port;
		try (ServerSocket s = new ServerSocket(0)) {
			port = s.getLocalPort();
		}
		Map<String, String> values = new TreeMap<>();
		values.put(MicroConfig.REGISTRY, "memory");
		values.put("api_address", "127.0.0.1:" + port);
		values.put("api_handler", "shout");
		values.put("api_namespace", "go.micro.srv");
		values.putAll(MicroTargets.of(MicroConfig.of(values)));
		configAdmin.getConfiguration(MicroConfig.PID, "?").update(new Hashtable<>(values));

		Dictionary<String, Object> props = new Hashtable<>();
		props.put(HandlerProperties.SERVICE, SERVICE);
		ServiceRegistration<Object> handler = context.registerService(Object.class, new Greeter(), props);
		try {
			String url = "http://127.0.0.1:" + port + "/greeter/hello";
			// no plugin named shout yet: the gateway works as meta, so the call goes to the handler
			await("the gateway answers through the rpc handler",
					() -> "{\"greeting\":\"Hello Ann\"}".equals(post(url, "{\"name\":\"Ann\"}")));
			await("go.micro.api is registered", () -> registered("go.micro.api"));

			// a WebSocket to a streaming endpoint, through Jetty's WebSocket bundles under SPI Fly
			BlockingQueue<String> frames = new LinkedBlockingQueue<>();
			HttpClient.newHttpClient().newWebSocketBuilder()
					.buildAsync(URI.create("ws://127.0.0.1:" + port + "/greeter/count?n=2"), new WebSocket.Listener() {
						@Override
						public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
							frames.add(data.toString());
							ws.request(1);
							return null;
						}

						@Override
						public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
							frames.add("close:" + code);
							return null;
						}
					}).get(10, TimeUnit.SECONDS);
			assertEquals("{\"i\":0}", frames.poll(10, TimeUnit.SECONDS));
			assertEquals("{\"i\":1}", frames.poll(10, TimeUnit.SECONDS));
			assertEquals("close:1000", frames.poll(10, TimeUnit.SECONDS));

			Dictionary<String, Object> plugin = new Hashtable<>();
			plugin.put(ApiHandler.NAME_PROPERTY, "shout");
			ServiceRegistration<ApiHandler> shout = context.registerService(ApiHandler.class,
					(request, route, ctx) -> ApiResponse.of(200, "text/plain",
							(route.service() + " " + route.endpoint() + " " + request.bodyUtf8().toUpperCase())
									.getBytes(StandardCharsets.UTF_8)),
					plugin);
			await("the plugin answers", () -> ("go.micro.srv.greeter Greeter.Hello {\"NAME\":\"BO\"}")
					.equals(post(url, "{\"name\":\"Bo\"}")));
			shout.unregister();
			await("without the plugin the rpc handler answers again",
					() -> "{\"greeting\":\"Hello Cy\"}".equals(post(url, "{\"name\":\"Cy\"}")));
		} finally {
			handler.unregister();
		}
	}

	private boolean registered(String name) {
		try {
			for (ServiceReference<Registry> ref : context.getServiceReferences(Registry.class,
					MicroTargets.filter(Registry.NAME_PROPERTY, "memory"))) {
				Registry r = context.getService(ref);
				try {
					return !r.getService(name).isEmpty();
				} finally {
					context.ungetService(ref);
				}
			}
		} catch (Exception e) {
			return false;
		}
		return false;
	}

	private static String post(String url, String json) {
		try {
			HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
			c.setConnectTimeout(1000);
			c.setReadTimeout(5000);
			c.setRequestMethod("POST");
			c.setDoOutput(true);
			c.setRequestProperty("Content-Type", "application/json");
			try (OutputStream o = c.getOutputStream()) {
				o.write(json.getBytes(StandardCharsets.UTF_8));
			}
			InputStream in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream();
			try (InputStream i = in) {
				return i == null ? "" : new String(i.readAllBytes(), StandardCharsets.UTF_8);
			}
		} catch (Exception e) {
			return e.toString();
		}
	}

	private static void await(String what, BooleanSupplier condition) throws InterruptedException {
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (System.nanoTime() < end) {
			if (condition.getAsBoolean()) {
				return;
			}
			Thread.sleep(100);
		}
		fail("timed out waiting until " + what);
	}

}
