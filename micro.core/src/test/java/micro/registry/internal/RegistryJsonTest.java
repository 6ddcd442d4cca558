package micro.registry.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import micro.registry.Endpoint;
import micro.registry.Node;
import micro.registry.Service;
import micro.registry.Value;

class RegistryJsonTest {
	/** micro-v2.md §7.3, as go-micro writes it (one line, its key order). */
	static final String GO_JSON = "{\"name\":\"go.micro.srv.example\",\"version\":\"latest\",\"metadata\":null,"
			+ "\"endpoints\":[{\"name\":\"Example.Call\","
			+ "\"request\":{\"name\":\"Request\",\"type\":\"Request\",\"values\":[{\"name\":\"name\",\"type\":\"string\",\"values\":null}]},"
			+ "\"response\":{\"name\":\"Response\",\"type\":\"Response\",\"values\":[{\"name\":\"msg\",\"type\":\"string\",\"values\":null}]},"
			+ "\"metadata\":{}}],"
			+ "\"nodes\":[{\"id\":\"go.micro.srv.example-2c5f\",\"address\":\"192.168.1.10:54321\","
			+ "\"metadata\":{\"broker\":\"http\",\"protocol\":\"mucp\",\"registry\":\"mdns\",\"server\":\"mucp\",\"transport\":\"http\"}}]}";

	static final Service EXAMPLE = new Service("go.micro.srv.example", "latest", null,
			List.of(new Endpoint("Example.Call",
					new Value("Request", "Request", List.of(new Value("name", "string", null))),
					new Value("Response", "Response", List.of(new Value("msg", "string", null))), Map.of())),
			List.of(new Node("go.micro.srv.example-2c5f", "192.168.1.10:54321", Map.of("broker", "http", "protocol",
					"mucp", "registry", "mdns", "server", "mucp", "transport", "http"))));

	@Test
	void readsGoJson() throws IOException {
		assertEquals(EXAMPLE, RegistryJson.readService(GO_JSON));
	}

	@Test
	void writesGoJson() {
		// the only difference to Go: a nil map is written as {} (Go writes null); both read the same
		assertEquals(GO_JSON.replace("\"metadata\":null", "\"metadata\":{}"), RegistryJson.write(EXAMPLE));
	}

	@Test
	void readsNullsAndMissingFields() throws IOException {
		Service s = RegistryJson.readService("{\"name\":\"x\",\"metadata\":null,\"endpoints\":null,"
				+ "\"nodes\":[{\"id\":\"x-1\",\"address\":\"127.0.0.1:1\",\"metadata\":{\"a\":null,\"n\":3}}],"
				+ "\"extra\":true}");
		assertEquals("x", s.name());
		assertEquals("", s.version());
		assertTrue(s.metadata().isEmpty());
		assertTrue(s.endpoints().isEmpty());
		assertEquals(Map.of("n", "3"), s.nodes().get(0).metadata());

		Service e = RegistryJson.readService("{\"name\":\"y\",\"endpoints\":[{\"name\":\"A.B\",\"request\":null,"
				+ "\"response\":{\"name\":\"R\",\"type\":\"R\",\"values\":null}}]}");
		assertEquals(null, e.endpoints().get(0).request());
		assertTrue(e.endpoints().get(0).response().values().isEmpty());
		assertTrue(e.nodes().isEmpty());
	}

	@Test
	void roundTripsAList() throws IOException {
		List<Service> list = List.of(EXAMPLE, new Service("b", "2", Map.of("k", "v"), null, null));
		assertEquals(list, RegistryJson.readServices(RegistryJson.writeList(list)));
		assertEquals(List.of(), RegistryJson.readServices("null"));
	}

	@Test
	void badJsonGetsAClearError() {
		IOException e = assertThrows(IOException.class, () -> RegistryJson.readService("{\"name\":"));
		assertTrue(e.getMessage().startsWith("invalid registry JSON"), e.getMessage());
		assertThrows(IOException.class, () -> RegistryJson.readService("[1]"));
		assertThrows(IOException.class, () -> RegistryJson.readService("{\"nodes\":{}}"));
		assertThrows(IOException.class, () -> RegistryJson.readServices("{}"));
	}
}
