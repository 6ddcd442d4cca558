package micro.registry.mdns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import org.junit.jupiter.api.Test;

import micro.registry.Endpoint;
import micro.registry.Value;

class MdnsTxtTest {
	/** What Go's json.Marshal writes for go-micro's mdnsTxt of the example service (micro-v2.md §7.3 and §8.3). */
	static final String GO_JSON = "{\"Service\":\"go.micro.srv.example\",\"Version\":\"latest\",\"Endpoints\":[{\"name\":\"Example.Call\","
			+ "\"request\":{\"name\":\"Request\",\"type\":\"Request\",\"values\":[{\"name\":\"name\",\"type\":\"string\",\"values\":null}]},"
			+ "\"response\":{\"name\":\"Response\",\"type\":\"Response\",\"values\":[{\"name\":\"msg\",\"type\":\"string\",\"values\":null}]},"
			+ "\"metadata\":{}}],"
			+ "\"Metadata\":{\"broker\":\"http\",\"protocol\":\"mucp\",\"registry\":\"mdns\",\"server\":\"mucp\",\"transport\":\"http\"}}";

	static MdnsTxt example() {
		Endpoint call = new Endpoint("Example.Call",
				new Value("Request", "Request", List.of(new Value("name", "string", null))),
				new Value("Response", "Response", List.of(new Value("msg", "string", null))), Map.of());
		return new MdnsTxt("go.micro.srv.example", "latest", List.of(call), Map.of("broker", "http", "protocol", "mucp",
				"registry", "mdns", "server", "mucp", "transport", "http"));
	}

	@Test
	void jsonIsExactlyWhatGoWrites() {
		assertEquals(GO_JSON, new String(example().json(), StandardCharsets.UTF_8));
	}

	@Test
	void encodeDecodeRoundTrip() throws Exception {
		MdnsTxt txt = example();
		List<String> chunks = txt.encode();
		for (String chunk : chunks) {
			assertTrue(chunk.length() <= 255);
			assertTrue(chunk.matches("[0-9a-f]+"), "lowercase hex: " + chunk);
		}
		assertEquals(txt, MdnsTxt.decode(chunks));
	}

	@Test
	void largePayloadIsSplitInto255CharChunks() throws Exception {
		List<Endpoint> endpoints = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			endpoints.add(new Endpoint("Handler.Method" + i + "x".repeat(i),
					new Value("Req" + i, "Req" + i, List.of(new Value("field" + i, "int64", null))), null,
					Map.of("stream", String.valueOf(i % 2 == 0))));
		}
		MdnsTxt txt = new MdnsTxt("big", "1.0.0", endpoints, Map.of("k", "v"));
		List<String> chunks = txt.encode();
		assertTrue(chunks.size() > 3, "chunks: " + chunks.size());
		for (int i = 0; i < chunks.size() - 1; i++) {
			assertEquals(255, chunks.get(i).length());
		}
		assertTrue(chunks.get(chunks.size() - 1).length() <= 255);
		MdnsTxt back = MdnsTxt.decode(chunks);
		assertEquals(txt, back);
		assertNull(back.endpoints().get(3).response());
	}

	/** A TXT blob made as Go makes it: zlib of Go's JSON (another compression level than ours), hex, 255-char chunks. */
	@Test
	void decodesTxtBuiltAsGoBuildsIt() throws Exception {
		ByteArrayOutputStream compressed = new ByteArrayOutputStream();
		try (DeflaterOutputStream zlib = new DeflaterOutputStream(compressed, new Deflater(Deflater.BEST_SPEED))) {
			zlib.write(GO_JSON.getBytes(StandardCharsets.UTF_8));
		}
		String hex = HexFormat.of().formatHex(compressed.toByteArray());
		List<String> chunks = new ArrayList<>();
		String rest = hex;
		while (rest.length() > 255) {
			chunks.add(rest.substring(0, 255));
			rest = rest.substring(255);
		}
		chunks.add(rest);
		assertTrue(chunks.size() >= 2, "the example needs more than one chunk: " + hex.length());

		MdnsTxt txt = MdnsTxt.decode(chunks);
		assertEquals(example(), txt);
		Endpoint call = txt.endpoints().get(0);
		assertEquals("Example.Call", call.name());
		assertEquals("name", call.request().values().get(0).name());
		assertEquals("string", call.request().values().get(0).type());
		assertEquals("mucp", txt.metadata().get("protocol"));
	}

	@Test
	void keysMatchIgnoringCaseAsGoDoes() throws Exception {
		String json = "{\"service\":\"s\",\"VERSION\":\"v\",\"endpoints\":null,\"metadata\":{\"a\":\"b\"}}";
		MdnsTxt txt = MdnsTxt.decode(List.of(zlibHex(json)));
		assertEquals(new MdnsTxt("s", "v", List.of(), Map.of("a", "b")), txt);
	}

	@Test
	void malformedPayloadsAreRejectedWithTheFailingStep() throws Exception {
		assertMalformed("bad hex", List.of("zz"));
		assertMalformed("odd length", List.of("abc"));
		assertMalformed("empty", List.of());
		assertMalformed("zlib", List.of("00112233"));
		String truncated = zlibHex(GO_JSON);
		assertMalformed("zlib", List.of(truncated.substring(0, truncated.length() - 20)));
		assertMalformed("JSON", List.of(zlibHex("{not json")));
		assertMalformed("not an object", List.of(zlibHex("[1,2]")));
		assertMalformed("expected a string", List.of(zlibHex("{\"Service\":12}")));
		assertMalformed("Endpoints", List.of(zlibHex("{\"Service\":\"s\",\"Endpoints\":\"x\"}")));
	}

	private static void assertMalformed(String expected, List<String> chunks) {
		MdnsTxt.MalformedTxtException e = assertThrows(MdnsTxt.MalformedTxtException.class, () -> MdnsTxt.decode(chunks));
		assertTrue(e.getMessage().contains(expected), e.getMessage());
	}

	static String zlibHex(String json) throws IOException {
		ByteArrayOutputStream compressed = new ByteArrayOutputStream();
		try (DeflaterOutputStream zlib = new DeflaterOutputStream(compressed)) {
			zlib.write(json.getBytes(StandardCharsets.UTF_8));
		}
		return HexFormat.of().formatHex(compressed.toByteArray());
	}
}
