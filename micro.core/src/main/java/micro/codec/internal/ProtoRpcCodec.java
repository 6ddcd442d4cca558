package micro.codec.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

import micro.codec.Frame;
import micro.errors.MicroError;
import micro.server.Server;

/**
 * {@code application/proto-rpc} (go-micro's codec/protorpc): two netstrings, each a 4-byte big-endian length and
 * the bytes. The first is the header, {@code Request{string service_method = 1; fixed64 seq = 2}} or
 * {@code Response{string service_method = 1; fixed64 seq = 2; string error = 3}}; the second the protobuf body. A
 * {@code RawBody} is the protobuf of the body alone. The id travels as the decimal form of {@code seq}.
 */
public final class ProtoRpcCodec extends EnvelopeCodec {
	public static final String CONTENT_TYPE = "application/proto-rpc";

	private static final int SERVICE_METHOD = 1;
	private static final int SEQ = 2;
	private static final int ERROR = 3;

	public ProtoRpcCodec(ProtobufCodec protobuf) {
		super(protobuf);
	}

	@Override
	public String contentType() {
		return CONTENT_TYPE;
	}

	@Override
	byte[] wrap(Frame frame, byte[] inner) throws IOException {
		byte[] header = header(frame);
		ByteArrayOutputStream out = new ByteArrayOutputStream(8 + header.length + inner.length);
		netstring(out, header);
		netstring(out, inner);
		return out.toByteArray();
	}

	private static byte[] header(Frame frame) throws IOException {
		ByteArrayOutputStream buf = new ByteArrayOutputStream(32 + frame.endpoint().length() + frame.error().length());
		CodedOutputStream out = CodedOutputStream.newInstance(buf);
		// proto3: fields at their default value are not written
		if (!frame.endpoint().isEmpty()) {
			out.writeString(SERVICE_METHOD, frame.endpoint());
		}
		long seq = seq(frame.id());
		if (seq != 0) {
			out.writeFixed64(SEQ, seq);
		}
		if (frame.kind() != Frame.Kind.REQUEST && !frame.error().isEmpty()) {
			out.writeString(ERROR, frame.error());
		}
		out.flush();
		return buf.toByteArray();
	}

	/** Go parses the id as a decimal number and sends 0 when it is not one. */
	private static long seq(String id) {
		try {
			return id.isEmpty() ? 0 : Long.parseUnsignedLong(id);
		} catch (NumberFormatException e) {
			return 0;
		}
	}

	private static void netstring(ByteArrayOutputStream out, byte[] data) {
		int n = data.length;
		out.write(n >>> 24);
		out.write(n >>> 16);
		out.write(n >>> 8);
		out.write(n);
		out.writeBytes(data);
	}

	@Override
	byte[] unwrap(Frame frame, byte[] data) {
		if (data == null || data.length == 0) {
			throw malformed("empty frame");
		}
		int headerLength = length(data, 0);
		readHeader(frame, data, 4, headerLength);
		int bodyAt = 4 + headerLength;
		if (bodyAt == data.length) {
			return new byte[0];
		}
		int bodyLength = length(data, bodyAt);
		if (bodyAt + 4 + bodyLength != data.length) {
			throw malformed((data.length - bodyAt - 4 - bodyLength) + " bytes after the body");
		}
		byte[] body = new byte[bodyLength];
		System.arraycopy(data, bodyAt + 4, body, 0, bodyLength);
		return body;
	}

	private static int length(byte[] data, int at) {
		if (at + 4 > data.length) {
			throw malformed("truncated length at byte " + at);
		}
		int n = ((data[at] & 0xff) << 24) | ((data[at + 1] & 0xff) << 16) | ((data[at + 2] & 0xff) << 8)
				| (data[at + 3] & 0xff);
		if (n < 0 || n > data.length - at - 4) {
			throw malformed("length " + Integer.toUnsignedString(n) + " at byte " + at + " exceeds the frame");
		}
		return n;
	}

	private static void readHeader(Frame frame, byte[] data, int offset, int length) {
		CodedInputStream in = CodedInputStream.newInstance(data, offset, length);
		// a seq of 0 is not written, and Go reads it back as "0"
		frame.id("0");
		try {
			while (true) {
				int tag = in.readTag();
				if (tag == 0) {
					return;
				}
				switch (WireFormat.getTagFieldNumber(tag)) {
				case SERVICE_METHOD -> frame.endpoint(in.readString());
				case SEQ -> frame.id(Long.toUnsignedString(WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT
						? in.readUInt64()
						: in.readFixed64()));
				case ERROR -> {
					if (frame.kind() != Frame.Kind.REQUEST) {
						frame.error(in.readString());
					} else {
						in.skipField(tag);
					}
				}
				default -> in.skipField(tag);
				}
			}
		} catch (IOException e) {
			throw malformed("header: " + e.getMessage());
		}
	}

	private static MicroError malformed(String why) {
		return MicroError.badRequest(Server.ERROR_ID, "invalid proto-rpc frame: " + why);
	}
}
