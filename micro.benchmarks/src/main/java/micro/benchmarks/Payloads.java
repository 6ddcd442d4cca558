package micro.benchmarks;

import java.util.Arrays;

import com.google.protobuf.ByteString;

import micro.benchmarks.proto.Payload;

/** The benchmark's message: a {@link Payload} of exactly {@value #SIZE} bytes on the wire. */
public final class Payloads {
	public static final int SIZE = 581;

	private Payloads() {
	}

	/** The same message every time; throws if its serialized size is not {@value #SIZE}. */
	public static Payload sample() {
		byte[] data = new byte[477];
		Arrays.fill(data, (byte) 0x5a);
		Payload payload = Payload.newBuilder()
				.setService("go.micro.srv.bench")
				.setDescription("a unary echo of a message of 581 bytes!!")
				.setId(1_234_567_890_123L)
				.setCount(42)
				.addTags("tag-0001").addTags("tag-0002").addTags("tag-0003")
				.setData(ByteString.copyFrom(data))
				.build();
		if (payload.getSerializedSize() != SIZE) {
			throw new IllegalStateException(
					"the benchmark message is " + payload.getSerializedSize() + " bytes, not " + SIZE);
		}
		return payload;
	}
}
