package micro.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import micro.registry.Endpoint;
import micro.registry.Node;
import micro.registry.Service;
import micro.registry.Value;

class ServiceFormatTest {
	private static final Map<String, String> NODE_METADATA = Map.of("transport", "http", "broker", "http",
			"server", "mucp", "registry", "mdns", "protocol", "mucp");

	private static Service example() {
		Endpoint call = new Endpoint("Example.Call", new Value("Request", "Request", List.of(new Value("name", "string", null))),
				new Value("Response", "Response", List.of(new Value("msg", "string", null))), Map.of());
		Endpoint stream = new Endpoint("Example.Stream",
				new Value("StreamingRequest", "StreamingRequest", List.of(new Value("count", "int64", null))),
				new Value("StreamingResponse", "StreamingResponse", List.of(new Value("count", "int64", null))),
				Map.of("stream", "true"));
		Endpoint empty = new Endpoint("Example.Empty", new Value("Empty", "Empty", null), null, Map.of());
		return new Service("go.micro.srv.example", "latest", Map.of(), List.of(call, stream, empty),
				List.of(new Node("go.micro.srv.example-7d1c", "192.168.1.10:54321", NODE_METADATA)));
	}

	@Test
	void getServiceIsGoText() {
		String expected = """
				service  go.micro.srv.example

				version latest

				ID	Address	Metadata
				go.micro.srv.example-7d1c	192.168.1.10:54321	broker=http,protocol=mucp,registry=mdns,server=mucp,transport=http

				Endpoint: Example.Call

				Request: {
					name string
				}

				Response: {
					msg string
				}


				Endpoint: Example.Stream

				Metadata: stream=true

				Request: {
					count int64
				}

				Response: {
					count int64
				}


				Endpoint: Example.Empty

				Request: {}

				Response: {}
				""";
		assertEquals(expected, ServiceFormat.service(List.of(example())));
	}

	@Test
	void nestedValuesAreIndentedAndSnakeCased() {
		Value inner = new Value("Address", "Address", List.of(new Value("StreetName", "string", null),
				new Value("Geo", "Point", List.of(new Value("lat", "double", null)))));
		Value request = new Value("Req", "Req", List.of(new Value("UserID", "string", null), inner));
		Service s = new Service("svc", "", null, List.of(new Endpoint("Svc.Do", request, null, null)), List.of());
		String expected = """
				service  svc

				ID	Address	Metadata

				Endpoint: Svc.Do

				Request: {
					user_id string
					address Address {
						street_name string
						geo Point {
							lat double
						}
					}
				}

				Response: {}
				""";
		assertEquals(expected, ServiceFormat.service(List.of(s)));
	}

	@Test
	void everyVersionListsItsNodesAndTheFirstGivesTheEndpoints() {
		Map<String, String> meta = new LinkedHashMap<>();
		meta.put("z", "1");
		meta.put("a", "2");
		Service v1 = new Service("svc", "1.0", null, List.of(), List.of(new Node("svc-1", "127.0.0.1:1", meta)));
		Service v2 = new Service("svc", "2.0", null, List.of(), List.of(new Node("svc-2", "127.0.0.1:2", null),
				new Node("svc-3", "127.0.0.1:3", null)));
		assertEquals("service  svc\n\nversion 1.0\n\nID\tAddress\tMetadata\nsvc-1\t127.0.0.1:1\ta=2,z=1"
				+ "\n\nversion 2.0\n\nID\tAddress\tMetadata\nsvc-2\t127.0.0.1:2\t\nsvc-3\t127.0.0.1:3\t",
				ServiceFormat.service(List.of(v1, v2)));
	}

	@Test
	void serviceNamesAreSortedOncePerLine() {
		List<Service> services = List.of(new Service("go.micro.srv.b", "", null, null, null),
				new Service("go.micro.srv.a", "", null, null, null), new Service("go.micro.srv.b", "2", null, null, null));
		assertEquals("go.micro.srv.a\ngo.micro.srv.b", ServiceFormat.serviceNames(services));
		assertEquals("", ServiceFormat.serviceNames(List.of()));
	}

	@Test
	void snakeCaseAsTheGoCli() {
		assertEquals("name", SnakeCase.of("name"));
		assertEquals("name", SnakeCase.of("Name"));
		assertEquals("message_id", SnakeCase.of("MessageId"));
		assertEquals("user_id", SnakeCase.of("UserID"));
		assertEquals("http_server", SnakeCase.of("HTTPServer"));
		assertEquals("first_name", SnakeCase.of("first_name"));
		assertEquals("field1_name", SnakeCase.of("Field1Name"));
		assertEquals("id", SnakeCase.of("ID"));
	}
}
