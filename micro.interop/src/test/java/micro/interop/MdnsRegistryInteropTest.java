package micro.interop;

import static micro.interop.MdnsPeers.STEP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Registry records over mDNS between go-micro v2.9.1 and our {@code MdnsRegistry}, both running in a network namespace
 * of the test's own: Go finds our node with its metadata and endpoint value trees, we find Go's, both list each other,
 * and a goodbye on either side removes the node for the other.
 */
class MdnsRegistryInteropTest {
	@RegisterExtension
	static final MdnsPeers PEERS = new MdnsPeers();

	@Test
	void goAndJavaSeeEachOthersRecordsAndGoodbyes() throws Exception {
		String ourService = "go.micro.srv.example";
		String ourNodeId = ourService + "-" + UUID.randomUUID();
		try (PeerProcess go = PEERS.startGo("serve");
				PeerProcess java = PEERS.startJava("register", ourService, ourNodeId, "127.0.0.1:43210")) {
			String goReady = go.awaitLine("READY", STEP);
			String goNodeId = PeerProcess.field(goReady, "id");
			String goAddress = PeerProcess.field(goReady, "address");
			java.awaitLine("READY", STEP);

			// Go's view of our record: one version, our node as announced, our endpoint's value trees.
			JsonNode seenByGo = goJson(0, "-wait", "5s", "get", ourService);
			assertEquals(1, seenByGo.size(), seenByGo.toString());
			JsonNode service = seenByGo.get(0);
			assertEquals(ourService, service.get("name").asText());
			assertEquals("latest", service.get("version").asText());
			JsonNode node = service.get("nodes").get(0);
			assertEquals(ourNodeId, node.get("id").asText());
			assertEquals("127.0.0.1:43210", node.get("address").asText());
			assertEquals(List.of("broker", "protocol", "registry", "server", "transport"), fieldNames(node.get("metadata")));
			assertEquals("mdns", node.get("metadata").get("registry").asText());
			JsonNode endpoint = service.get("endpoints").get(0);
			assertEquals("Example.Call", endpoint.get("name").asText());
			MdnsPeers.assertExampleCallTrees(endpoint);

			// Our view of Go's record.
			JsonNode seenByJava = javaJson(0, "get", GoPeer.SERVICE, "5000");
			assertEquals(1, seenByJava.size(), seenByJava.toString());
			JsonNode goService = seenByJava.get(0);
			assertEquals("latest", goService.get("version").asText());
			JsonNode goNode = goService.get("nodes").get(0);
			assertEquals(goNodeId, goNode.get("id").asText());
			assertEquals(goAddress, goNode.get("address").asText());
			assertEquals("mucp", goNode.get("metadata").get("protocol").asText());
			assertEquals("mucp", goNode.get("metadata").get("server").asText());
			assertEquals("http", goNode.get("metadata").get("transport").asText());
			assertEquals("mdns", goNode.get("metadata").get("registry").asText());
			JsonNode hello = MdnsPeers.endpoint(goService, "Greeter.Hello");
			assertEquals("HelloRequest", hello.get("request").get("name").asText());
			assertEquals("name", hello.get("request").get("values").get(0).get("name").asText());
			assertEquals("greeting", hello.get("response").get("values").get(0).get("name").asText());
			assertEquals("true", MdnsPeers.endpoint(goService, "Greeter.Count").get("metadata").get("stream").asText());

			// Each lists the other.
			List<String> goList = names(goJson(0, "-wait", "3s", "list"));
			assertTrue(goList.contains(ourService) && goList.contains(GoPeer.SERVICE), goList.toString());
			List<String> javaList = names(javaJson(-1, "list"));
			assertTrue(javaList.contains(ourService) && javaList.contains(GoPeer.SERVICE), javaList.toString());

			// Our goodbye: Go no longer finds our node.
			java.send("stop");
			java.awaitLine("STOPPED", STEP);
			assertEquals(0, java.awaitExit(STEP));
			JsonNode afterGoodbye = goJson(1, "get", ourService);
			assertTrue(afterGoodbye.isNull() || afterGoodbye.isEmpty()
					|| !afterGoodbye.toString().contains(ourNodeId), afterGoodbye.toString());

			// Go's goodbye (server stop deregisters): we no longer find Go's node.
			assertEquals(0, go.stop(STEP), go.transcript());
			JsonNode afterGoGoodbye = javaJson(1, "get", GoPeer.SERVICE, "0");
			assertFalse(afterGoGoodbye.toString().contains(goNodeId), afterGoGoodbye.toString());
		}
	}

	/** Runs {@code go-peer -registry mdns <args>} in the namespace and parses its answer; -1 accepts any exit code. */
	private static JsonNode goJson(int expectedExit, String... args) throws Exception {
		return json(PEERS.runGo(args), expectedExit);
	}

	private static JsonNode javaJson(int expectedExit, String... args) throws Exception {
		return json(PEERS.runJava(args), expectedExit);
	}

	private static JsonNode json(PeerProcess.Result result, int expectedExit) throws Exception {
		if (expectedExit >= 0) {
			assertEquals(expectedExit, result.exitCode(), result.transcript());
		}
		return JavaPeerMain.JSON.readTree(MdnsPeers.lastLine(result.stdout()));
	}

	private static List<String> fieldNames(JsonNode object) {
		List<String> names = new ArrayList<>();
		object.fieldNames().forEachRemaining(names::add);
		names.sort(null);
		return names;
	}

	private static List<String> names(JsonNode services) {
		List<String> names = new ArrayList<>();
		services.forEach(s -> names.add(s.get("name").asText()));
		return names;
	}
}
