package micro.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import micro.client.CallOptions;
import micro.client.ClientStream;
import micro.client.Request;
import micro.codec.RawBody;
import micro.config.MicroConfig;
import micro.errors.MicroError;
import micro.runtime.Micro;

/**
 * Our {@code Micro} client calls go-micro v2.9.1's mucp server ({@code go.micro.srv.goexample}) over MUCP/HTTP on
 * 127.0.0.1. Both sides use the memory registry (nothing is multicast); we call the Go node by address.
 */
class GoServerJavaClientTest {
	public record HelloRequest(String name) {
	}

	public record HelloResponse(String greeting) {
	}

	public record CountRequest(long count) {
	}

	public record CountResponse(long number) {
	}

	private static PeerProcess go;
	private static String goAddress;
	private static Micro micro;

	@BeforeAll
	static void start() {
		go = PeerProcess.start("go-peer serve", GoPeer.command("memory", "serve"));
		goAddress = PeerProcess.field(go.awaitLine("READY", Duration.ofSeconds(20)), "address");
		micro = Micro.builder().config(MicroConfig.of(Map.of(MicroConfig.REGISTRY, "memory"))).build();
	}

	@AfterAll
	static void stop() {
		if (micro != null) {
			micro.close();
		}
		if (go != null) {
			go.close();
		}
	}

	@Test
	void callsGoServerWithJson() {
		HelloResponse response = micro.client().call(new Request(GoPeer.SERVICE, "Greeter.Hello", new HelloRequest("John")),
				HelloResponse.class, direct());
		assertEquals("Hi John from Go", response.greeting());
	}

	@Test
	void callsGoServerWithJsonRpc() {
		HelloResponse response = micro.client().call(
				new Request(GoPeer.SERVICE, "Greeter.Hello", new HelloRequest("John"), "application/json-rpc"),
				HelloResponse.class, direct());
		assertEquals("Hi John from Go", response.greeting());
	}

	@Test
	void callsGoServerWithProtobuf() {
		// HelloRequest{name} and HelloResponse{greeting} are field 1, a string, on the Go side.
		RawBody response = micro.client().call(
				new Request(GoPeer.SERVICE, "Greeter.Hello", new RawBody(stringField1("John")), "application/protobuf"),
				RawBody.class, direct());
		assertArrayEquals(stringField1("Hi John from Go"), response.bytes());
	}

	@Test
	void goBadRequestArrivesAsMicroError() {
		MicroError e = assertThrows(MicroError.class, () -> micro.client()
				.call(new Request(GoPeer.SERVICE, "Greeter.Hello", new HelloRequest("")), HelloResponse.class, direct()));
		assertEquals(GoPeer.SERVICE, e.id());
		assertEquals(400, e.code());
		assertEquals("name is required", e.detail());
		assertEquals("Bad Request", e.status());
	}

	@Test
	void goInternalErrorArrivesAsMicroError() {
		MicroError e = assertThrows(MicroError.class, () -> micro.client().call(
				new Request(GoPeer.SERVICE, "Greeter.Hello", new HelloRequest("boom")), HelloResponse.class, direct()));
		assertEquals(GoPeer.SERVICE, e.id());
		assertEquals(500, e.code());
		assertEquals("boom requested", e.detail());
		assertEquals("Internal Server Error", e.status());
	}

	@Test
	void goUnknownMethodErrorArrivesParsed() {
		// go-micro sends a plain string here, which Go's errors.Parse turns into {detail} with code 0.
		MicroError e = assertThrows(MicroError.class, () -> micro.client()
				.call(new Request(GoPeer.SERVICE, "Greeter.Nope", new HelloRequest("x")), HelloResponse.class, direct()));
		assertEquals("rpc: can't find method Nope", e.detail());
		assertEquals(0, e.code());
	}

	@Test
	void undecodableBodyGivesGoDecoderErrorParsed() {
		// go-micro answers with the bare decoder message (no JSON), which errors.Parse turns into {detail}, code 0.
		MicroError e = assertThrows(MicroError.class, () -> micro.client().call(
				new Request(GoPeer.SERVICE, "Greeter.Hello", RawBody.of("{not json")), HelloResponse.class, direct()));
		assertEquals(0, e.code(), e.toJson());
		assertEquals("invalid character 'n' looking for beginning of object key string", e.detail());
	}

	@Test
	void streamsFromGoServer() {
		try (ClientStream stream = micro.client().stream(new Request(GoPeer.SERVICE, "Greeter.Count", new CountRequest(3)),
				direct())) {
			// As with go-micro's client, the server reads the request the caller sends after opening.
			stream.send(new CountRequest(3));
			List<Long> numbers = new ArrayList<>();
			CountResponse next;
			while ((next = stream.recv(CountResponse.class)) != null) {
				numbers.add(next.number());
			}
			assertEquals(List.of(1L, 2L, 3L), numbers);
			assertNull(stream.recv(CountResponse.class), "the stream stays ended");
		}
	}

	@Test
	void goStreamErrorArrivesAsMicroError() {
		try (ClientStream stream = micro.client().stream(new Request(GoPeer.SERVICE, "Greeter.Count", new CountRequest(-1)),
				direct())) {
			stream.send(new CountRequest(-1));
			MicroError e = assertThrows(MicroError.class, () -> stream.recv(CountResponse.class));
			assertEquals(400, e.code());
			assertTrue(e.detail().contains("must not be negative"), e.detail());
		}
	}

	private static CallOptions direct() {
		return CallOptions.DEFAULTS.withAddress(goAddress);
	}

	/** A protobuf message with one field: number 1, wire type 2 (length-delimited), a short UTF-8 string. */
	private static byte[] stringField1(String value) {
		byte[] utf8 = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		byte[] out = new byte[utf8.length + 2];
		out[0] = 0x0a;
		out[1] = (byte) utf8.length;
		System.arraycopy(utf8, 0, out, 2, utf8.length);
		return out;
	}
}
