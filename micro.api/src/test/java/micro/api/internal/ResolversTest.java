package micro.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import micro.config.MicroConfig;

/** The path → service/endpoint table of §2.4, the other resolvers, namespaces, event topics and path templates. */
class ResolversTest {

	@ParameterizedTest(name = "{0} -> {1} {2}")
	@CsvSource({
			"/foo, foo, Foo.Call",
			"/foo/bar, foo, Foo.Bar",
			"/foo/bar/baz, foo, Bar.Baz",
			"/foo/bar/baz-xyz, foo, Bar.BazXyz",
			"/foo/bar/baz/cat, foo.bar, Baz.Cat",
			"/foo/bar/baz/cat/car, foo.bar.baz, Cat.Car",
			"/v1/foo/bar, v1.foo, Foo.Bar",
			"/v1/foo/bar/baz, v1.foo, Bar.Baz",
			// beyond the table: camel case, a trailing slash and dot segments are cleaned as Go's path.Clean does
			"/foo/fooBar, foo, Foo.FooBar",
			"/example/call/, example, Example.Call",
			"//foo/./bar, foo, Foo.Bar" })
	void microResolverRpcStyle(String path, String service, String method) {
		Resolvers.Resolution r = Resolvers.resolve("micro", "POST", path, "localhost", "go.micro.api", true);
		assertEquals("go.micro.api." + service, r.service());
		assertEquals(method, r.endpoint());
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({ "/foo, foo", "/foo/bar/baz, foo", "/v1/foo/bar, v1.foo", "/greeter-svc/x, greeter-svc" })
	void microResolverProxyStyle(String path, String service) {
		Resolvers.Resolution r = Resolvers.resolve("micro", "GET", path, "", "go.micro.web", false);
		assertEquals("go.micro.web." + service, r.service());
		assertEquals("GET", r.endpoint());
	}

	@Test
	void microResolverRefusesWhatNamesNoService() {
		assertNull(Resolvers.resolve("micro", "POST", "/", "", "go.micro.api", true));
		assertNull(Resolvers.resolve("micro", "GET", "/bad_name/x", "", "go.micro.api", false));
		assertNull(Resolvers.resolve("micro", "GET", "/-x", "", "go.micro.api", false));
	}

	@Test
	void pathVpathHostAndGrpcResolvers() {
		assertEquals(new Resolvers.Resolution("go.micro.api.foo", "GET"),
				Resolvers.resolve("path", "GET", "/foo/bar", "", "go.micro.api", true));
		assertEquals(new Resolvers.Resolution("go.micro.api.v1", "GET"),
				Resolvers.resolve("path", "GET", "/v1/foo", "", "go.micro.api", true));
		assertNull(Resolvers.resolve("path", "GET", "/", "", "go.micro.api", true));
		assertEquals(new Resolvers.Resolution("go.micro.api.v1.foo", "GET"),
				Resolvers.resolve("vpath", "GET", "/v1/foo/bar", "", "go.micro.api", true));
		assertEquals(new Resolvers.Resolution("go.micro.api.foo", "GET"),
				Resolvers.resolve("vpath", "GET", "/foo/bar", "", "go.micro.api", true));
		assertEquals(new Resolvers.Resolution("greeter.example.com", "PUT"),
				Resolvers.resolve("host", "PUT", "/x", "greeter.example.com:8080", "go.micro.api", true));
		assertEquals(new Resolvers.Resolution("helloworld", "Greeter.SayHello"),
				Resolvers.resolve("grpc", "POST", "/helloworld.Greeter/SayHello", "", "go.micro.api", true));
		assertEquals(new Resolvers.Resolution("go.micro.srv.pkg", "Svc.Do"),
				Resolvers.resolve("grpc", "POST", "/go.micro.srv.pkg.Svc/Do", "", "go.micro.api", true));
		assertNull(Resolvers.resolve("grpc", "POST", "/nodot/Do", "", "go.micro.api", true));
	}

	@ParameterizedTest(name = "namespace={0} type={1} -> {2}")
	@CsvSource({
			// v2.5 defaults and form
			"'', '', go.micro.api",
			"go.micro, srv, go.micro.srv",
			"go.micro.srv, srv, go.micro.srv",
			// v2.0 form: the namespace is the whole prefix
			"go.micro.srv, '', go.micro.srv",
			"go.micro.api, '', go.micro.api",
			"go.micro.web, '', go.micro.web",
			"com.example, '', com.example.api",
			"com.example, function, com.example.function" })
	void namespaceForms(String namespace, String type, String prefix) {
		ApiOptions o = ApiOptions.from(MicroConfig.of(Map.of(ApiOptions.API_NAMESPACE, namespace, ApiOptions.API_TYPE, type)));
		assertEquals(prefix, o.prefix());
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({ "localhost:8080, go.micro", "127.0.0.1, go.micro", "m3o.app, go.micro", "foo.micro.mu, go.micro",
			"staging.myapp.m3o.app, myapp.staging", "api.example.com, api" })
	void domainNamespace(String host, String namespace) {
		assertEquals(namespace, Resolvers.domainNamespace(host));
	}

	@ParameterizedTest(name = "{0} -> topic {1}, name ''{2}''")
	@CsvSource({ "/, go.micro.api, event", "/foo, go.micro.api.foo, ''", "/foo/bar/baz, go.micro.api.foo, bar.baz",
			"/v1/foo/bar, go.micro.api.v1.foo, foo.bar" })
	void eventTopics(String path, String topic, String name) {
		String[] t = EventHandler.topic("go.micro.api", path);
		assertEquals(topic, t[0]);
		assertEquals(name, t[1]);
	}

	@Test
	void pathTemplates() {
		PathPattern users = PathPattern.parse("/v1/users/{id}");
		assertEquals(Map.of("id", "42"), users.match("/v1/users/42"));
		assertNull(users.match("/v1/users/42/x"));
		assertNull(users.match("/v1/users"));
		PathPattern books = PathPattern.parse("/v1/{name=shelves/*}/books/{book.id}:get");
		assertEquals(Map.of("name", "shelves/7", "book.id", "9"), books.match("/v1/shelves/7/books/9:get"));
		PathPattern files = PathPattern.parse("/files/**");
		assertNotNull(files.match("/files/a/b/c"));
		PathPattern regex = PathPattern.parse("^/greeter/[a-z]+$");
		assertNotNull(regex.match("/greeter/hello"));
		assertNull(regex.match("/greeter/Hello"));
		assertEquals(Map.of(), PathPattern.parse("/").match("/"));
		assertThrows(IllegalArgumentException.class, () -> PathPattern.parse("^/unterminated"));
		assertThrows(IllegalArgumentException.class, () -> PathPattern.parse("/half$"));
		assertThrows(IllegalArgumentException.class, () -> PathPattern.parse("/v1/{unclosed"));
		assertThrows(IllegalArgumentException.class, () -> PathPattern.parse("relative/path"));
	}

	@Test
	void optionsRefuseBadValues() {
		assertThrows(IllegalArgumentException.class,
				() -> ApiOptions.from(MicroConfig.of(Map.of(ApiOptions.API_RESOLVER, "dns"))));
		assertThrows(IllegalArgumentException.class,
				() -> ApiOptions.from(MicroConfig.of(Map.of(ApiOptions.API_MAX_BODY, "lots"))));
		assertThrows(IllegalArgumentException.class,
				() -> ApiOptions.from(MicroConfig.of(Map.of(ApiOptions.API_ENABLE_RPC, "maybe"))));
		assertThrows(IllegalArgumentException.class, () -> ApiGateway.parseAddress("8080"));
		assertEquals(1024 * 1024, ApiOptions.from(MicroConfig.of(Map.of(ApiOptions.API_MAX_BODY, "1MiB"))).maxBody());
		ApiOptions d = ApiOptions.from(MicroConfig.of(Map.of()));
		assertEquals("127.0.0.1:8080", d.address());
		assertEquals("meta", d.handler());
		assertEquals("micro", d.resolver());
		assertEquals(true, d.enableCors());
		assertEquals(false, d.enableRpc());
	}
}
