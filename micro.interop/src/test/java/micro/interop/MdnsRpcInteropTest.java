package micro.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The whole path with discovery, in a network namespace of the test's own: a Java {@code Micro} server
 * ({@code go.micro.srv.example}, mdns registry) in a child JVM and the go-micro peer ({@code go.micro.srv.goexample},
 * mdns registry) find each other by service name and call each other, with no address given.
 */
class MdnsRpcInteropTest {
	private static final Duration STEP = Duration.ofSeconds(20);
	private static NetNamespace namespace;

	@BeforeAll
	static void createNamespace() {
		GoPeer.binary();
		namespace = NetNamespace.create();
	}

	@AfterAll
	static void deleteNamespace() {
		if (namespace != null) {
			namespace.close();
		}
	}

	@Test
	void goAndJavaServicesDiscoverAndCallEachOther() throws Exception {
		try (PeerProcess go = PeerProcess.start("go-peer serve", namespace.wrap(GoPeer.command("mdns", "serve")));
				PeerProcess java = PeerProcess.start("java serve", namespace.wrap(JavaPeer.command("serve")))) {
			go.awaitLine("READY", STEP);
			String javaReady = java.awaitLine("READY", STEP);
			String ourNodeId = MdnsRegistryInteropTest.field(javaReady, "id");
			String ourAddress = MdnsRegistryInteropTest.field(javaReady, "address");

			// Go's mucp client, node chosen by its registry selector from our mDNS records.
			PeerProcess.Result fromGo = run("go-peer call", GoPeer.command("mdns", "-wait", "5s", "call", Example.SERVICE,
					"Example.Call", "{\"name\":\"John\"}"));
			assertEquals(0, fromGo.exitCode(), fromGo.transcript() + java.transcript());
			assertEquals("{\"msg\":\"Hello John\"}", fromGo.stdout());

			// Our client, node chosen by our selector from Go's mDNS records.
			PeerProcess.Result fromJava = run("java call", JavaPeer.command("call", GoPeer.SERVICE, "Greeter.Hello",
					"{\"name\":\"John\"}"));
			assertEquals(0, fromJava.exitCode(), fromJava.transcript() + go.transcript());
			assertEquals("{\"greeting\":\"Hi John from Go\"}", lastLine(fromJava.stdout()));

			// A Go error through the discovered path keeps its code.
			PeerProcess.Result errorFromGo = run("java call", JavaPeer.command("call", GoPeer.SERVICE, "Greeter.Hello", "{}"));
			assertEquals(1, errorFromGo.exitCode(), errorFromGo.transcript());
			JsonNode error = JavaPeerMain.JSON.readTree(lastLine(errorFromGo.stdout()));
			assertEquals(400, error.get("code").asInt(), errorFromGo.stdout());
			assertEquals(GoPeer.SERVICE, error.get("id").asText(), errorFromGo.stdout());

			// What Go sees of the record our RpcServer registered.
			PeerProcess.Result get = run("go-peer get", GoPeer.command("mdns", "-wait", "5s", "get", Example.SERVICE));
			assertEquals(0, get.exitCode(), get.transcript());
			JsonNode service = JavaPeerMain.JSON.readTree(get.stdout()).get(0);
			assertEquals("latest", service.get("version").asText());
			JsonNode node = service.get("nodes").get(0);
			assertEquals(ourNodeId, node.get("id").asText());
			assertEquals(ourAddress, node.get("address").asText());
			Map<String, String> metadata = new TreeMap<>();
			node.get("metadata").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
			assertEquals(Map.of("broker", "http", "protocol", "mucp", "registry", "mdns", "server", "mucp", "transport",
					"http"), metadata);
			JsonNode call = endpoint(service, "Example.Call");
			assertEquals(JavaPeerMain.JSON.readTree("""
					{"name":"Request","type":"Request","values":[{"name":"name","type":"string","values":null}]}"""),
					call.get("request"));
			assertEquals(JavaPeerMain.JSON.readTree("""
					{"name":"Response","type":"Response","values":[{"name":"msg","type":"string","values":null}]}"""),
					call.get("response"));
			// A server stream: stream=true and response Stream as go-micro has them. go-micro describes the request of its
			// generated (ctx, server.Stream) wrapper as "Context" (see Greeter.Count in MdnsRegistryInteropTest); ours
			// describes the real request type, which Go's consumers read like any value tree.
			JsonNode stream = endpoint(service, "Example.Stream");
			assertEquals("true", stream.get("metadata").get("stream").asText());
			assertEquals(JavaPeerMain.JSON.readTree("""
					{"name":"StreamingRequest","type":"StreamingRequest","values":[{"name":"count","type":"int64","values":null}]}"""),
					stream.get("request"));
			assertEquals("Stream", stream.get("response").get("name").asText());
			assertEquals(List.of("Example.Call", "Example.Stream"), endpointNames(service));

			java.send("stop");
			java.awaitLine("STOPPED", STEP);
			assertEquals(0, java.awaitExit(STEP), java.transcript());
		}
	}

	private static PeerProcess.Result run(String label, List<String> command) {
		return PeerProcess.run(label, namespace.wrap(command), STEP);
	}

	private static String lastLine(String out) {
		return out.substring(out.lastIndexOf('\n') + 1);
	}

	private static JsonNode endpoint(JsonNode service, String name) {
		for (JsonNode e : service.get("endpoints")) {
			if (e.get("name").asText().equals(name)) {
				return e;
			}
		}
		throw new AssertionError("no endpoint " + name + " in " + service);
	}

	private static List<String> endpointNames(JsonNode service) {
		List<String> names = new java.util.ArrayList<>();
		service.get("endpoints").forEach(e -> names.add(e.get("name").asText()));
		return names;
	}
}
