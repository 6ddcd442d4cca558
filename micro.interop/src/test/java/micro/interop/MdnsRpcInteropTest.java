package micro.interop;

import static micro.interop.MdnsPeers.STEP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The whole path with discovery, in a network namespace of the test's own: a Java {@code Micro} server
 * ({@code go.micro.srv.example}, mdns registry) in a child JVM and the go-micro peer ({@code go.micro.srv.goexample},
 * mdns registry) find each other by service name and call each other, with no address given.
 */
class MdnsRpcInteropTest {
	@RegisterExtension
	static final MdnsPeers PEERS = new MdnsPeers();

	@Test
	void goAndJavaServicesDiscoverAndCallEachOther() throws Exception {
		try (PeerProcess go = PEERS.startGo("serve"); PeerProcess java = PEERS.startJava("serve")) {
			go.awaitLine("READY", STEP);
			String javaReady = java.awaitLine("READY", STEP);
			String ourNodeId = PeerProcess.field(javaReady, "id");
			String ourAddress = PeerProcess.field(javaReady, "address");

			// Go's mucp client, node chosen by its registry selector from our mDNS records.
			PeerProcess.Result fromGo = PEERS.runGo("-wait", "5s", "call", Example.SERVICE, "Example.Call",
					"{\"name\":\"John\"}");
			assertEquals(0, fromGo.exitCode(), fromGo.transcript() + java.transcript());
			assertEquals("{\"msg\":\"Hello John\"}", fromGo.stdout());

			// Our client, node chosen by our selector from Go's mDNS records.
			PeerProcess.Result fromJava = PEERS.runJava("call", GoPeer.SERVICE, "Greeter.Hello", "{\"name\":\"John\"}");
			assertEquals(0, fromJava.exitCode(), fromJava.transcript() + go.transcript());
			assertEquals("{\"greeting\":\"Hi John from Go\"}", MdnsPeers.lastLine(fromJava.stdout()));

			// A Go error through the discovered path keeps its code.
			PeerProcess.Result errorFromGo = PEERS.runJava("call", GoPeer.SERVICE, "Greeter.Hello", "{}");
			assertEquals(1, errorFromGo.exitCode(), errorFromGo.transcript());
			JsonNode error = JavaPeerMain.JSON.readTree(MdnsPeers.lastLine(errorFromGo.stdout()));
			assertEquals(400, error.get("code").asInt(), errorFromGo.stdout());
			assertEquals(GoPeer.SERVICE, error.get("id").asText(), errorFromGo.stdout());

			// What Go sees of the record our RpcServer registered.
			PeerProcess.Result get = PEERS.runGo("-wait", "5s", "get", Example.SERVICE);
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
			MdnsPeers.assertExampleCallTrees(MdnsPeers.endpoint(service, "Example.Call"));
			// A server stream: stream=true and response Stream as go-micro has them. go-micro describes the request of its
			// generated (ctx, server.Stream) wrapper as "Context" (see Greeter.Count in MdnsRegistryInteropTest); ours
			// describes the real request type, which Go's consumers read like any value tree.
			JsonNode stream = MdnsPeers.endpoint(service, "Example.Stream");
			assertEquals("true", stream.get("metadata").get("stream").asText());
			assertEquals(JavaPeerMain.JSON.readTree("""
					{"name":"StreamingRequest","type":"StreamingRequest","values":[{"name":"count","type":"int64","values":null}]}"""),
					stream.get("request"));
			assertEquals("Stream", stream.get("response").get("name").asText());
			assertEquals(List.of("Example.Call", "Example.Stream"), MdnsPeers.endpointNames(service));

			java.send("stop");
			java.awaitLine("STOPPED", STEP);
			assertEquals(0, java.awaitExit(STEP), java.transcript());
		}
	}
}
