package micro.api.proto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

/**
 * The protobuf wire form of the {@code go.api} messages of gm:api/proto/api.proto (proto3: fields at their default
 * value are not written; a map is a repeated entry message {@code {key = 1; value = 2}}).
 */
final class GoApiWire {
	private static final int ENTRY_KEY = 1;
	private static final int ENTRY_VALUE = 2;

	private GoApiWire() {
	}

	static byte[] write(Event e) {
		return message(out -> {
			string(out, 1, e.name());
			string(out, 2, e.id());
			if (e.timestamp() != 0) {
				out.writeInt64(3, e.timestamp());
			}
			pairs(out, 4, e.header());
			string(out, 5, e.data());
		});
	}

	static Event readEvent(byte[] bytes) throws IOException {
		CodedInputStream in = CodedInputStream.newInstance(bytes);
		String name = "";
		String id = "";
		long timestamp = 0;
		Map<String, Pair> header = new LinkedHashMap<>();
		String data = "";
		for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
			switch (WireFormat.getTagFieldNumber(tag)) {
			case 1 -> name = in.readString();
			case 2 -> id = in.readString();
			case 3 -> timestamp = in.readInt64();
			case 4 -> readPairEntry(in.readByteArray(), header);
			case 5 -> data = in.readString();
			default -> in.skipField(tag);
			}
		}
		return new Event(name, id, timestamp, header, data);
	}

	private static void pairs(CodedOutputStream out, int field, Map<String, Pair> pairs) throws IOException {
		for (Map.Entry<String, Pair> p : pairs.entrySet()) {
			byte[] value = message(o -> {
				string(o, 1, p.getValue().key());
				for (String v : p.getValue().values()) {
					o.writeString(2, v);
				}
			});
			out.writeByteArray(field, message(o -> {
				o.writeString(ENTRY_KEY, p.getKey());
				o.writeByteArray(ENTRY_VALUE, value);
			}));
		}
	}

	private static void readPairEntry(byte[] entry, Map<String, Pair> into) throws IOException {
		CodedInputStream in = CodedInputStream.newInstance(entry);
		String key = "";
		Pair value = new Pair("", List.of());
		for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
			switch (WireFormat.getTagFieldNumber(tag)) {
			case ENTRY_KEY -> key = in.readString();
			case ENTRY_VALUE -> value = readPair(in.readByteArray());
			default -> in.skipField(tag);
			}
		}
		into.put(key, value);
	}

	private static Pair readPair(byte[] bytes) throws IOException {
		CodedInputStream in = CodedInputStream.newInstance(bytes);
		String key = "";
		List<String> values = new ArrayList<>();
		for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
			switch (WireFormat.getTagFieldNumber(tag)) {
			case 1 -> key = in.readString();
			case 2 -> values.add(in.readString());
			default -> in.skipField(tag);
			}
		}
		return new Pair(key, values);
	}

	private static void string(CodedOutputStream out, int field, String value) throws IOException {
		if (!value.isEmpty()) {
			out.writeString(field, value);
		}
	}

	private interface Fields {
		void write(CodedOutputStream out) throws IOException;
	}

	/** The bytes of one message, its fields written by {@code fields}. */
	private static byte[] message(Fields fields) {
		ByteArrayOutputStream buf = new ByteArrayOutputStream(64);
		CodedOutputStream out = CodedOutputStream.newInstance(buf);
		try {
			fields.write(out);
			out.flush();
		} catch (IOException e) {
			// a ByteArrayOutputStream does not fail
			throw new UncheckedIOException(e);
		}
		return buf.toByteArray();
	}
}
