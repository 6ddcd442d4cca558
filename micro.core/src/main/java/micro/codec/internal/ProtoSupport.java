package micro.codec.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;

import com.google.protobuf.Message;

/** Finds the default instance of a generated protobuf message class, once per class. */
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

	private ProtoSupport() {
	}

	static boolean isMessageType(Type type) {
		return type instanceof Class<?> c && Message.class.isAssignableFrom(c);
	}

	/** The default instance of a generated message class; an IOException when the class has none. */
	static Message defaultInstance(Class<?> type) throws java.io.IOException {
		Message m = DEFAULTS.get(type);
		if (m == null) {
			throw new java.io.IOException(type.getName() + " is not a generated protobuf message (no static getDefaultInstance())");
		}
		return m;
	}
}
