package micro.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import micro.config.MicroConfig;

/** Go's access log (§2.2): one Apache combined line per request, on by default, off with api_enable_access_log. */
class AccessLogTest {
	/** host - user [time] "request line" status bytes "referer" "user agent" */
	private static final Pattern COMBINED = Pattern.compile(
			"^(\\S+) - (\\S+) \\[([^\\]]+)\\] \"([^\"]*)\" (\\d{3}) (\\d+) \"([^\"]*)\" \"([^\"]*)\"$");
	private static final DateTimeFormatter APACHE_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z",
			Locale.ENGLISH);

	static Backends backends;
	final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@BeforeAll
	static void start() throws Exception {
		backends = new Backends();
		backends.serve("go.micro.api.greeter", new Backends.Greeter());
	}

	@AfterAll
	static void stop() {
		backends.close();
	}

	private static ApiGateway gateway(BlockingQueue<String> lines, Map<String, String> settings) throws Exception {
		Map<String, String> c = new HashMap<>(settings);
		c.put(ApiOptions.API_ADDRESS, "127.0.0.1:0");
		ApiGateway g = new ApiGateway(ApiOptions.from(MicroConfig.of(c)), backends.micro.client(),
				backends.micro.registry(), backends.micro.broker());
		g.accessLogTo(lines::add);
		g.start();
		return g;
	}

	@Test
	void oneCombinedLinePerRequest() throws Exception {
		BlockingQueue<String> lines = new LinkedBlockingQueue<>();
		ApiGateway g = gateway(lines, Map.of());
		try {
			HttpResponse<String> r = http.send(HttpRequest.newBuilder(Backends.uri(g, "/greeter/hello?x=1"))
					.header("Content-Type", "application/json").header("Referer", "http://front.example/page")
					.header("User-Agent", "curl/7.88.1").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Log\"}"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertEquals("{\"msg\":\"Hello Log\"}", r.body());
			String line = lines.poll(5, TimeUnit.SECONDS);
			Matcher m = COMBINED.matcher(String.valueOf(line));
			assertTrue(m.matches(), "not a combined log line: " + line);
			assertEquals("127.0.0.1", m.group(1));
			assertEquals("-", m.group(2));
			OffsetDateTime at = OffsetDateTime.parse(m.group(3), APACHE_TIME);
			assertTrue(Math.abs(Duration.between(at, OffsetDateTime.now()).toSeconds()) < 60, m.group(3));
			assertEquals("POST /greeter/hello?x=1 HTTP/1.1", m.group(4));
			assertEquals("200", m.group(5));
			assertEquals(String.valueOf(r.body().length()), m.group(6), "the body's bytes");
			assertEquals("http://front.example/page", m.group(7));
			assertEquals("curl/7.88.1", m.group(8));
			assertNull(lines.poll(200, TimeUnit.MILLISECONDS), "one line per request");

			// an error answer is logged too; an absent header is "" (as gorilla writes it)
			http.send(HttpRequest.newBuilder(Backends.uri(g, "/nosuch")).header("User-Agent", "t").GET().build(),
					HttpResponse.BodyHandlers.ofString());
			Matcher e = COMBINED.matcher(String.valueOf(lines.poll(5, TimeUnit.SECONDS)));
			assertTrue(e.matches(), e.toString());
			assertEquals("GET /nosuch HTTP/1.1", e.group(4));
			assertEquals("500", e.group(5));
			assertEquals("", e.group(7));
		} finally {
			g.stop();
		}
	}

	@Test
	void offWhenConfiguredOff() throws Exception {
		assertTrue(ApiOptions.defaults("127.0.0.1:0").enableAccessLog(), "on by default, as in Go");
		BlockingQueue<String> lines = new LinkedBlockingQueue<>();
		ApiGateway g = gateway(lines, Map.of(ApiOptions.API_ENABLE_ACCESS_LOG, "false"));
		try {
			assertEquals(200, http.send(HttpRequest.newBuilder(Backends.uri(g, "/")).GET().build(),
					HttpResponse.BodyHandlers.ofString()).statusCode());
			assertNull(lines.poll(300, TimeUnit.MILLISECONDS));
		} finally {
			g.stop();
		}
	}
}
