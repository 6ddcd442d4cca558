package micro.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the mDNS interop tests share: the Go peer built, a {@link NetNamespace} of the test class's own, and the two
 * peers run in it with the mdns registry. Register it on a static field with {@code @RegisterExtension}.
 */
final class MdnsPeers implements BeforeAllCallback, AfterAllCallback {
	/** How long one step (a start, a command, a stop) may take. */
	static final Duration STEP = Duration.ofSeconds(20);

	private NetNamespace namespace;

	@Override
	public void beforeAll(ExtensionContext context) {
		GoPeer.binary();
		namespace = NetNamespace.create();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (namespace != null) {
			namespace.close();
			namespace = null;
		}
	}

	/** Starts {@code go-peer -registry mdns <args>} in the namespace. */
	PeerProcess startGo(String... args) {
		return PeerProcess.start(label("go-peer", args), namespace.wrap(GoPeer.command("mdns", args)));
	}

	/** Starts the Java peer ({@link JavaPeerMain}) with these arguments in the namespace. */
	PeerProcess startJava(String... args) {
		return PeerProcess.start(label("java", args), namespace.wrap(JavaPeer.command(args)));
	}

	/** Runs {@code go-peer -registry mdns <args>} in the namespace to its end. */
	PeerProcess.Result runGo(String... args) {
		return PeerProcess.run(label("go-peer", args), namespace.wrap(GoPeer.command("mdns", args)), STEP);
	}

	/** Runs the Java peer with these arguments in the namespace to its end. */
	PeerProcess.Result runJava(String... args) {
		return PeerProcess.run(label("java", args), namespace.wrap(JavaPeer.command(args)), STEP);
	}

	private static String label(String peer, String... args) {
		return peer + " " + String.join(" ", args);
	}

	/** The last line of a peer's output: its answer, after whatever it logged. */
	static String lastLine(String out) {
		return out.substring(out.lastIndexOf('\n') + 1);
	}

	/** The endpoint of that name in a registry record ({@code registry.Service} JSON). */
	static JsonNode endpoint(JsonNode service, String name) {
		for (JsonNode e : service.get("endpoints")) {
			if (e.get("name").asText().equals(name)) {
				return e;
			}
		}
		throw new AssertionError("no endpoint " + name + " in " + service);
	}

	/** The value trees of the Java example's {@code Example.Call}, as go-micro describes such an endpoint. */
	static void assertExampleCallTrees(JsonNode call) throws Exception {
		assertEquals(JavaPeerMain.JSON.readTree("""
				{"name":"Request","type":"Request","values":[{"name":"name","type":"string","values":null}]}"""),
				call.get("request"));
		assertEquals(JavaPeerMain.JSON.readTree("""
				{"name":"Response","type":"Response","values":[{"name":"msg","type":"string","values":null}]}"""),
				call.get("response"));
	}

	/** The names of the endpoints of a registry record, in its order. */
	static List<String> endpointNames(JsonNode service) {
		List<String> names = new java.util.ArrayList<>();
		service.get("endpoints").forEach(e -> names.add(e.get("name").asText()));
		return names;
	}
}
