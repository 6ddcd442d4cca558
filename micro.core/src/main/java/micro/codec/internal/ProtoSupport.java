package micro.codec.internal;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;

import com.google.protobuf.Message;

/**
 * Finds, once per class, how a class is read and written as protobuf: the default instance of a generated message, or
 * the {@code public static T parseFrom(byte[])} and {@code public byte[] toByteArray()} pair that generated messages
 * have and that hand-written types (the {@code go.api} records of micro.api) can offer too.
 */
final class ProtoSupport {
	private static final ClassValue<Message> DEFAULTS = new ClassValue<>() {
		@Override
		protected Message computeValue(Class<?> type) {
			try {
				Method m = type.getMethod("getDefaultInstance");
				if (!Modifier.isStatic(m.getModifiers())) {
					return null;
				}
				return (Message) m.invoke(null);
			} catch (ReflectiveOperationException | ClassCastException e) {
				return null;
			}
		}
	};

	/** {@code parseFrom(byte[])} and {@code toByteArray()} of a class that has both, else null. */
	private record Shape(Method parseFrom, Method toByteArray) {
	}

	private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
		@Override
		protected Shape computeValue(Class<?> type) {
			try {
				Method parse = type.getMethod("parseFrom", byte[].class);
				Method write = type.getMethod("toByteArray");
				if (!Modifier.isStatic(parse.getModifiers()) || !type.isAssignableFrom(parse.getReturnType())
						|| Modifier.isStatic(write.getModifiers()) || write.getReturnType() != byte[].class) {
					return null;
				}
				return new Shape(parse, write);
			} catch (NoSuchMethodException e) {
				return null;
			}
		}
	};

	private ProtoSupport() {
	}

	static boolean isMessageType(Type type) {
		return type instanceof Class<?> c && Message.class.isAssignableFrom(c);
	}

	/** The default instance of a generated message class; an IOException when the class has none. */
	static Message defaultInstance(Class<?> type) throws IOException {
		Message m = DEFAULTS.get(type);
		if (m == null) {
			throw new IOException(type.getName() + " is not a generated protobuf message (no static getDefaultInstance())");
		}
		return m;
	}

	/** True for a class with {@code static parseFrom(byte[])} and {@code toByteArray()}, as generated messages have. */
	static boolean hasProtobufShape(Type type) {
		return type instanceof Class<?> c && SHAPES.get(c) != null;
	}

	/** Reads a class of {@link #hasProtobufShape protobuf shape} with its {@code parseFrom(byte[])}. */
	static Object parseFrom(Class<?> type, byte[] bytes) throws IOException {
		return invoke(SHAPES.get(type).parseFrom(), null, bytes);
	}

	/** Writes an object of {@link #hasProtobufShape protobuf shape} with its {@code toByteArray()}. */
	static byte[] toByteArray(Object value) throws IOException {
		return (byte[]) invoke(SHAPES.get(value.getClass()).toByteArray(), value);
	}

	private static Object invoke(Method m, Object target, Object... args) throws IOException {
		try {
			return m.invoke(target, args);
		} catch (InvocationTargetException e) {
			Throwable cause = e.getCause();
			if (cause instanceof IOException io) {
				throw io;
			}
			if (cause instanceof RuntimeException re) {
				throw re;
			}
			throw new IOException(m.getDeclaringClass().getName() + "." + m.getName() + ": " + cause, cause);
		} catch (IllegalAccessException e) {
			throw new IOException(m.getDeclaringClass().getName() + "." + m.getName() + " is not accessible", e);
		}
	}
}
