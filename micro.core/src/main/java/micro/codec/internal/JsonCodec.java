package micro.codec.internal;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;

import micro.codec.RawBody;
import micro.errors.MicroError;
import micro.server.Server;

/**
 * {@code application/json}: records, POJOs (by field name) and maps through Jackson, protobuf messages through
 * JsonFormat with proto field names. Unknown fields are ignored and an empty body reads as {@code {}}, as Go's
 * decoder does. {@link RawBody} and {@code byte[]} are taken as JSON already written.
 */
public final class JsonCodec extends BodyCodec {
	public static final String CONTENT_TYPE = "application/json";

	static final ObjectMapper MAPPER = newMapper();

	private static ObjectMapper newMapper() {
		ObjectMapper m = new ObjectMapper();
		m.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
		m.configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false);
		m.configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);
		// POJOs are described by their fields (as the registry's value trees are), not by their getters
		m.setVisibility(PropertyAccessor.ALL, Visibility.NONE);
		m.setVisibility(PropertyAccessor.FIELD, Visibility.ANY);
		m.setVisibility(PropertyAccessor.CREATOR, Visibility.ANY);
		SimpleModule protobuf = new SimpleModule("micro-protobuf");
		protobuf.addSerializer(MessageOrBuilder.class, new JsonSerializer<MessageOrBuilder>() {
			@Override
			public void serialize(MessageOrBuilder value, JsonGenerator gen, SerializerProvider serializers)
					throws IOException {
				gen.writeRawValue(ProtoJson.print(value));
			}
		});
		m.registerModule(protobuf);
		return m;
	}

	public JsonCodec() {
		super(CONTENT_TYPE);
	}

	@Override
	byte[] writeValue(Object body) throws IOException {
		if (body instanceof MessageOrBuilder m) {
			return ProtoJson.print(m).getBytes(StandardCharsets.UTF_8);
		}
		try {
			return MAPPER.writeValueAsBytes(body);
		} catch (JsonProcessingException e) {
			throw new IOException("cannot write " + body.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
		}
	}

	@Override
	Object readValue(byte[] b, Type type) throws IOException {
		boolean empty = isBlank(b);
		if (ProtoSupport.isMessageType(type)) {
			Message defaultInstance = ProtoSupport.defaultInstance((Class<?>) type);
			if (empty) {
				return defaultInstance;
			}
			try {
				return ProtoJson.parse(new String(b, StandardCharsets.UTF_8), defaultInstance);
			} catch (IOException e) {
				throw malformed(e.getMessage());
			}
		}
		JavaType javaType = MAPPER.getTypeFactory().constructType(type == null ? Object.class : type);
		try {
			if (empty) {
				// Go reads an empty body as an empty object
				return emptyValue(javaType);
			}
			return MAPPER.readValue(b, javaType);
		} catch (JsonProcessingException e) {
			throw malformed(e.getOriginalMessage());
		}
	}

	private static Object emptyValue(JavaType type) throws IOException {
		Class<?> raw = type.getRawClass();
		if (type.isCollectionLikeType() || type.isArrayType()) {
			return MAPPER.readValue("[]", type);
		}
		if (type.isMapLikeType() || raw == Object.class) {
			return new java.util.LinkedHashMap<String, Object>();
		}
		if (raw.isPrimitive() || raw.getName().startsWith("java.") || raw.isInterface()) {
			return null;
		}
		return MAPPER.readValue("{}", type);
	}

	static boolean isBlank(byte[] b) {
		for (byte c : b) {
			if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
				return false;
			}
		}
		return true;
	}

	static MicroError malformed(String why) {
		return MicroError.badRequest(Server.ERROR_ID, "invalid JSON body: " + why);
	}
}
