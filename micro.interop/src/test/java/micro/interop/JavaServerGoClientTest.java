package micro.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import micro.config.MicroConfig;
import micro.runtime.Micro;
import micro.server.Server;
import micro.server.ServerOptions;

/**
 * go-micro v2.9.1's mucp client calls a server of our {@code Micro} runtime over MUCP/HTTP on 127.0.0.1. Both sides use the memory registry
 * (nothing is multicast); the Go client calls our node by address ({@code client.WithAddress}).
 */
class JavaServerGoClientTest {
	private static final Duration CALL = Duration.ofSeconds(20);
	private static Micro micro;
	private static Server server;

	@BeforeAll
	static void startServer() throws Exception {
		GoPeer.binary();
		micro = Micro.builder().config(MicroConfig.of(Map.of(MicroConfig.REGISTRY, "memory"))).build();
		server = micro.newServer(ServerOptions.named(Example.SERVICE));
		server.handle(new Example());
		server.start();
	}

	@AfterAll
	static void stopServer() {
		if (micro != null) {
			micro.close();
		}
	}

	@Test
	void goClientCallsJavaServerWithJson() {
		PeerProcess.Result result = go("call", Example.SERVICE, "Example.Call", "{\"name\":\"John\"}");
		assertEquals(0, result.exitCode(), result.transcript());
		assertEquals("{\"msg\":\"Hello John\"}", result.stdout());
	}

	@Test
	void goClientCallsJavaServerWithJsonRpc() {
		PeerProcess.Result result = go("-content_type", "application/json-rpc", "call", Example.SERVICE, "Example.Call",
				"{\"name\":\"John\"}");
		assertEquals(0, result.exitCode(), result.transcript());
		assertEquals("{\"msg\":\"Hello John\"}", result.stdout());
	}

	@Test
	void handlerErrorReachesGoClientWithItsCode() throws Exception {
		PeerProcess.Result result = go("call", Example.SERVICE, "Example.Call", "{\"name\":\"\"}");
		assertEquals(1, result.exitCode(), result.transcript());
		JsonNode error = JavaPeerMain.JSON.readTree(result.stdout());
		assertEquals(Example.SERVICE, error.get("id").asText(), result.stdout());
		assertEquals(400, error.get("code").asInt(), result.stdout());
		assertEquals("name is required", error.get("detail").asText(), result.stdout());
		assertEquals("Bad Request", error.get("status").asText(), result.stdout());
	}

	@Test
	void unknownMethodGivesGoClientTheErrorGoMicroGives() throws Exception {
		// go-micro's own server answers exactly this for an unknown method (checked against the Go peer).
		PeerProcess.Result result = go("call", Example.SERVICE, "Example.Nope", "{}");
		assertEquals(1, result.exitCode(), result.transcript());
		assertEquals("rpc: can't find method Nope", JavaPeerMain.JSON.readTree(result.stdout()).get("detail").asText(),
				result.stdout());
	}

	@Test
	void undecodableBodyFromGoClientIsABadRequest() throws Exception {
		// valid JSON, but a string where Example.Call wants an object
		PeerProcess.Result result = go("call", Example.SERVICE, "Example.Call", "\"John\"");
		assertEquals(1, result.exitCode(), result.transcript());
		JsonNode error = JavaPeerMain.JSON.readTree(result.stdout());
		assertEquals(400, error.get("code").asInt(), result.stdout());
		assertEquals("go.micro.server", error.get("id").asText(), result.stdout());
	}

	@Test
	void goClientStreamsFromJavaServer() {
		PeerProcess.Result result = go("stream", Example.SERVICE, "Example.Stream", "{\"count\":3}");
		assertEquals(0, result.exitCode(), result.transcript());
		assertEquals(List.of("{\"count\":0}", "{\"count\":1}", "{\"count\":2}", "EOS"), result.stdout().lines().toList());
	}

	@Test
	void streamHandlerErrorReachesGoClient() throws Exception {
		PeerProcess.Result result = go("stream", Example.SERVICE, "Example.Stream", "{\"count\":-1}");
		assertEquals(1, result.exitCode(), result.transcript());
		JsonNode error = JavaPeerMain.JSON.readTree(result.stdout());
		assertEquals(400, error.get("code").asInt(), result.stdout());
		assertEquals("count must not be negative", error.get("detail").asText(), result.stdout());
	}

	/** The Go peer with the memory registry, calling our node by address. */
	private static PeerProcess.Result go(String... args) {
		String[] all = new String[args.length + 2];
		all[0] = "-address";
		all[1] = server.address();
		System.arraycopy(args, 0, all, 2, args.length);
		return PeerProcess.run("go-peer " + String.join(" ", args), GoPeer.command("memory", all), CALL);
	}
}
