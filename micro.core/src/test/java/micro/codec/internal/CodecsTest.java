package micro.codec.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.google.protobuf.StringValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;

import micro.codec.Codec;
import micro.codec.Frame;
import micro.codec.RawBody;
import micro.errors.MicroError;

class CodecsTest {
	record Request(String name) {
	}

	record Nested(String name, int count, long big, boolean flag, List<String> tags, Map<String, Integer> scores,
			Request inner, byte[] data) {
	}

	static class Pojo {
		private String title;
		public int pages;
		private static String ignoredStatic = "x";

		String title() {
			return title;
		}

		public String getDerived() {
			return "not a field";
		}
	}

	/** A hand-written type with the protobuf pair of a generated message: {@code string name = 1}. */
	public record Named(String name) {
		public byte[] toByteArray() {
			return StringValue.of(name).toByteArray();
		}

		public static Named parseFrom(byte[] bytes) throws IOException {
			return new Named(StringValue.parseFrom(bytes).getValue());
		}
	}

	private final Codecs codecs = new Codecs();

	private static byte[] utf8(String s) {
		return s.getBytes(StandardCharsets.UTF_8);
	}

	private static String text(byte[] b) {
		return new String(b, StandardCharsets.UTF_8);
	}

	@Test
	void looksUpByContentTypeIgnoringParametersAndCase() {
		assertEquals(Set.of("application/json", "application/protobuf", "application/json-rpc",
				"application/proto-rpc", "application/octet-stream"), codecs.contentTypes());
		assertEquals("application/json", codecs.get("application/json; charset=utf-8").contentType());
		assertEquals("application/protobuf", codecs.get(" Application/Protobuf ").contentType());
		assertNull(codecs.get("text/plain"));
		assertNull(codecs.get(null));
		assertNull(codecs.get(""));
		// the exported entry: the same codecs
		assertEquals("application/proto-rpc", Codec.builtIn("application/proto-rpc; x=y").contentType());
		assertInstanceOf(JsonRpcCodec.class, Codec.builtIn("application/json-rpc"));
		assertNull(Codec.builtIn("text/plain"));
	}

	@Test
	void jsonRoundTripsRecordsPojosAndMaps() throws IOException {
		Codec json = codecs.get("application/json");
		Frame f = new Frame(Frame.Kind.REQUEST);
		assertEquals("{\"name\":\"John\"}", text(json.encode(f, new Request("John"))));
		Nested n = new Nested("a", 2, 1L << 40, true, List.of("x", "y"), Map.of("k", 7), new Request("in"),
				new byte[] { 1, 2 });
		Nested back = (Nested) json.decodeBody(json.encode(f, n), Nested.class);
		assertEquals(n.name(), back.name());
		assertEquals(n.big(), back.big());
		assertEquals(n.tags(), back.tags());
		assertEquals(n.scores(), back.scores());
		assertEquals(n.inner(), back.inner());
		assertArrayEquals(n.data(), back.data());

		Pojo p = new Pojo();
		p.title = "t";
		p.pages = 3;
		assertEquals("{\"title\":\"t\",\"pages\":3}", text(json.encode(f, p)));
		Pojo q = (Pojo) json.decodeBody(utf8("{\"title\":\"u\",\"pages\":9,\"unknown\":{\"a\":1}}"), Pojo.class);
		assertEquals("u", q.title());
		assertEquals(9, q.pages);

		@SuppressWarnings("unchecked")
		Map<String, Object> m = (Map<String, Object>) json.decodeBody(utf8("{\"a\":[1,2]}"), Object.class);
		assertEquals(List.of(1, 2), m.get("a"));
		Object typed = json.decodeBody(utf8("{\"a\":1}"), new TypeReference<Map<String, Long>>() {
		}.getType());
		assertEquals(Map.of("a", 1L), typed);
	}

	@Test
	void jsonIgnoresUnknownFieldsAndReadsEmptyAsEmptyObject() throws IOException {
		Codec json = codecs.get("application/json");
		assertEquals(new Request("x"), json.decodeBody(utf8("{\"name\":\"x\",\"other\":1}"), Request.class));
		assertEquals(new Request(null), json.decodeBody(new byte[0], Request.class));
		assertEquals(new Request(null), json.decodeBody(utf8("{}"), Request.class));
		assertEquals(Map.of(), json.decodeBody(new byte[0], Map.class));
		assertEquals(StringValue.getDefaultInstance(), json.decodeBody(new byte[0], StringValue.class));
	}

	@Test
	void jsonUsesJsonFormatForProtobufMessages() throws IOException {
		Codec json = codecs.get("application/json");
		Struct s = Struct.newBuilder().putFields("user_name", Value.newBuilder().setStringValue("ann").build())
				.build();
		byte[] b = json.encode(new Frame(Frame.Kind.RESPONSE), s);
		assertEquals("{\"user_name\":\"ann\"}", text(b));
		assertEquals(s, json.decodeBody(b, Struct.class));
		assertEquals(StringValue.of("hi"), json.decodeBody(utf8("\"hi\""), StringValue.class));
		// a message nested in a map is written by JsonFormat too
		assertEquals("{\"v\":\"hi\"}", text(json.encode(new Frame(Frame.Kind.RESPONSE), Map.of("v", StringValue.of("hi")))));
	}

	@Test
	void jsonPassesRawBytesThrough() throws IOException {
		Codec json = codecs.get("application/json");
		byte[] raw = utf8("{\"any\": true}");
		assertSame(raw, json.encode(new Frame(Frame.Kind.REQUEST), new RawBody(raw)));
		assertSame(raw, json.encode(new Frame(Frame.Kind.REQUEST), raw));
		assertArrayEquals(raw, ((RawBody) json.decodeBody(raw, RawBody.class)).bytes());
		assertEquals(0, json.encode(new Frame(Frame.Kind.ERROR), null).length);
	}

	@Test
	void malformedJsonIsABadRequest() {
		Codec json = codecs.get("application/json");
		MicroError e = assertThrows(MicroError.class, () -> json.decodeBody(utf8("{\"name\":"), Request.class));
		assertEquals(400, e.code());
		assertEquals("go.micro.server", e.id());
		assertTrue(e.detail().startsWith("invalid JSON body"), e.detail());
		MicroError p = assertThrows(MicroError.class, () -> json.decodeBody(utf8("{nope"), Struct.class));
		assertEquals(400, p.code());
	}

	@Test
	void protobufRoundTripsMessages() throws IOException {
		Codec pb = codecs.get("application/protobuf");
		StringValue v = StringValue.of("John");
		byte[] b = pb.encode(new Frame(Frame.Kind.REQUEST), v);
		assertEquals("0a044a6f686e", HexFormat.of().formatHex(b));
		assertEquals(v, pb.decodeBody(b, StringValue.class));
		assertEquals(StringValue.getDefaultInstance(), pb.decodeBody(new byte[0], StringValue.class));
		assertArrayEquals(b, ((RawBody) pb.decodeBody(b, RawBody.class)).bytes());
		assertSame(b, pb.encode(new Frame(Frame.Kind.REQUEST), new RawBody(b)));
	}

	@Test
	void protobufReadsAndWritesTypesWithTheGeneratedPair() throws IOException {
		Codec pb = codecs.get("application/protobuf");
		byte[] b = pb.encode(new Frame(Frame.Kind.EVENT), new Named("John"));
		assertEquals("0a044a6f686e", HexFormat.of().formatHex(b));
		assertEquals(new Named("John"), pb.decodeBody(b, Named.class));
		// proto-rpc carries the same body inside its envelope
		Codec rpc = codecs.get("application/proto-rpc");
		byte[] framed = rpc.encode(new Frame(Frame.Kind.REQUEST).endpoint("A.B"), new Named("Ann"));
		assertEquals(new Named("Ann"), rpc.decodeBody(rpc.decodeEnvelope(new Frame(Frame.Kind.REQUEST), framed), Named.class));
		MicroError bad = assertThrows(MicroError.class, () -> pb.decodeBody(new byte[] { 0x0a, 0x7f, 1 }, Named.class));
		assertEquals(400, bad.code());
	}

	@Test
	void protobufRejectsOtherTypesAndGarbage() {
		Codec pb = codecs.get("application/protobuf");
		IOException enc = assertThrows(IOException.class, () -> pb.encode(new Frame(Frame.Kind.REQUEST), new Request("x")));
		assertTrue(enc.getMessage().contains("only encode protobuf messages"), enc.getMessage());
		IOException dec = assertThrows(IOException.class, () -> pb.decodeBody(new byte[] { 1 }, Request.class));
		assertTrue(dec.getMessage().contains("only decode into protobuf messages"), dec.getMessage());
		MicroError bad = assertThrows(MicroError.class, () -> pb.decodeBody(new byte[] { 0x0a, 0x7f, 1 }, StringValue.class));
		assertEquals(400, bad.code());
	}

	@Test
	void jsonRpcRequestAndResponseFraming() throws IOException {
		Codec c = codecs.get("application/json-rpc");
		Frame req = new Frame(Frame.Kind.REQUEST).endpoint("Example.Call").id("1");
		byte[] b = c.encode(req, new Request("John"));
		assertEquals("{\"method\":\"Example.Call\",\"params\":[{\"name\":\"John\"}],\"id\":\"1\"}\n", text(b));
		Frame in = new Frame(Frame.Kind.REQUEST);
		byte[] body = c.decodeEnvelope(in, b);
		assertEquals("Example.Call", in.endpoint());
		assertEquals("1", in.id());
		assertEquals(new Request("John"), c.decodeBody(body, Request.class));

		Frame rsp = new Frame(Frame.Kind.RESPONSE).id("1");
		byte[] r = c.encode(rsp, Map.of("msg", "Hello John"));
		assertEquals("{\"id\":\"1\",\"result\":{\"msg\":\"Hello John\"},\"error\":null}\n", text(r));
		Frame err = new Frame(Frame.Kind.ERROR).id("2").error("boom");
		assertEquals("{\"id\":\"2\",\"result\":null,\"error\":\"boom\"}\n", text(c.encode(err, null)));
		Frame back = new Frame(Frame.Kind.RESPONSE);
		assertEquals(0, c.decodeEnvelope(back, c.encode(err, null)).length);
		assertEquals("boom", back.error());
		assertEquals("2", back.id());

		// a Go client sends a numeric id
		Frame numeric = new Frame(Frame.Kind.REQUEST);
		c.decodeEnvelope(numeric, utf8("{\"method\":\"A.B\",\"params\":[{}],\"id\":7}"));
		assertEquals("7", numeric.id());
		// no params, or none in the array, is an empty body (Go leaves the request at its zero value)
		assertEquals(0, c.decodeEnvelope(new Frame(Frame.Kind.REQUEST), utf8("{\"method\":\"A.B\",\"params\":[],\"id\":1}")).length);
		assertEquals(0, c.decodeEnvelope(new Frame(Frame.Kind.REQUEST), utf8("{\"method\":\"A.B\",\"id\":1}")).length);
		// a broker message is the body alone
		assertEquals("{\"name\":\"E\"}", text(c.encode(new Frame(Frame.Kind.EVENT), new Request("E"))));
	}

	@Test
	void jsonRpcMalformedFrames() {
		Codec c = codecs.get("application/json-rpc");
		for (String bad : List.of("", "[1]", "{\"params\":[]}", "{\"method\":")) {
			MicroError e = assertThrows(MicroError.class, () -> c.decodeEnvelope(new Frame(Frame.Kind.REQUEST), utf8(bad)), bad);
			assertEquals(400, e.code());
		}
	}

	@Test
	void protoRpcNetstringFraming() throws IOException {
		Codec c = codecs.get("application/proto-rpc");
		Frame req = new Frame(Frame.Kind.REQUEST).endpoint("Example.Call").id("1");
		byte[] b = c.encode(req, StringValue.of("John"));
		String header = "0a0c" + HexFormat.of().formatHex(utf8("Example.Call")) + "11" + "0100000000000000";
		assertEquals("00000017" + header + "00000006" + "0a044a6f686e", HexFormat.of().formatHex(b));
		Frame in = new Frame(Frame.Kind.REQUEST);
		byte[] body = c.decodeEnvelope(in, b);
		assertEquals("Example.Call", in.endpoint());
		assertEquals("1", in.id());
		assertEquals(StringValue.of("John"), c.decodeBody(body, StringValue.class));

		Frame err = new Frame(Frame.Kind.ERROR).endpoint("Example.Call").id("0").error("bad");
		byte[] e = c.encode(err, null);
		assertEquals("00000013" + "0a0c" + HexFormat.of().formatHex(utf8("Example.Call")) + "1a03"
				+ HexFormat.of().formatHex(utf8("bad")) + "00000000", HexFormat.of().formatHex(e));
		Frame back = new Frame(Frame.Kind.RESPONSE);
		assertEquals(0, c.decodeEnvelope(back, e).length);
		assertEquals("bad", back.error());
		assertEquals("0", back.id());
	}

	@Test
	void protoRpcMalformedFrames() {
		Codec c = codecs.get("application/proto-rpc");
		ByteArrayOutputStream tooLong = new ByteArrayOutputStream();
		tooLong.writeBytes(new byte[] { 0, 0, 0, 9, 1, 2 });
		for (byte[] bad : List.of(new byte[0], new byte[] { 0, 0 }, tooLong.toByteArray(),
				new byte[] { 0, 0, 0, 2, (byte) 0xff, (byte) 0xff })) {
			MicroError e = assertThrows(MicroError.class, () -> c.decodeEnvelope(new Frame(Frame.Kind.REQUEST), bad));
			assertEquals(400, e.code());
			assertTrue(e.detail().startsWith("invalid proto-rpc frame"), e.detail());
		}
	}

	@Test
	void octetStreamPassesBytes() throws IOException {
		Codec c = codecs.get("application/octet-stream");
		byte[] b = { 0, 1, 2, (byte) 0xff };
		assertSame(b, c.encode(new Frame(Frame.Kind.REQUEST), b));
		assertArrayEquals(b, (byte[]) c.decodeBody(c.decodeEnvelope(new Frame(Frame.Kind.REQUEST), b), byte[].class));
		assertInstanceOf(RawBody.class, c.decodeBody(b, RawBody.class));
		assertThrows(IOException.class, () -> c.encode(new Frame(Frame.Kind.REQUEST), "text"));
	}
}
