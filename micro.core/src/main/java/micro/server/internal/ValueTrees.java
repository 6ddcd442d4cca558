package micro.server.internal;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import micro.registry.Value;

/**
 * Describes request and response types as go-micro's extractor does (gm:server/extractor.go): a {@link Value} named
 * after the type with one child per field, recursion stopping at depth 3 (fields that deep are left out). Field types
 * get Go's names: {@code string}, {@code int32}, {@code int64}, {@code bool}, {@code float64}, {@code []uint8},
 * {@code []T}, {@code map[string]T}, or the message name. Protobuf messages are described by their descriptor (proto
 * field names), records by their components, other classes by their instance fields.
 */
public final class ValueTrees {
	private static final int MAX_DEPTH = 3;

	private ValueTrees() {
	}

	/** The top-level value of a request or response type: name = type = the simple type name. */
	public static Value describe(Type type) {
		if (type == null) {
			return null;
		}
		return value(type, typeName(type), 0);
	}

	private static Value value(Type type, String name, int depth) {
		if (depth >= MAX_DEPTH) {
			return null;
		}
		Class<?> raw = rawClass(type);
		String typeName = typeName(type);
		List<Value> children = new ArrayList<>();
		if (raw != null && Message.class.isAssignableFrom(raw)) {
			Descriptor d = descriptor(raw);
			if (d != null) {
				return message(d, name, depth);
			}
		} else if (raw != null && isStruct(raw)) {
			if (raw.isRecord()) {
				for (RecordComponent c : raw.getRecordComponents()) {
					add(children, value(c.getGenericType(), c.getName(), depth + 1));
				}
			} else {
				for (Field f : instanceFields(raw)) {
					add(children, value(f.getGenericType(), f.getName(), depth + 1));
				}
			}
		}
		return new Value(name, typeName, children);
	}

	private static Value message(Descriptor d, String name, int depth) {
		if (depth >= MAX_DEPTH) {
			return null;
		}
		List<Value> children = new ArrayList<>();
		for (FieldDescriptor f : d.getFields()) {
			Value v;
			if (f.isMapField()) {
				Descriptor entry = f.getMessageType();
				v = depth + 1 >= MAX_DEPTH ? null
						: new Value(f.getName(), "map[" + protoType(entry.findFieldByNumber(1)) + "]"
								+ protoType(entry.findFieldByNumber(2)), List.of());
			} else if (f.isRepeated()) {
				v = depth + 1 >= MAX_DEPTH ? null : new Value(f.getName(), "[]" + protoType(f), List.of());
			} else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
				v = message(f.getMessageType(), f.getName(), depth + 1);
			} else {
				v = depth + 1 >= MAX_DEPTH ? null : new Value(f.getName(), protoType(f), List.of());
			}
			add(children, v);
		}
		return new Value(name, goName(d), children);
	}

	private static void add(List<Value> children, Value v) {
		if (v != null) {
			children.add(v);
		}
	}

	private static String protoType(FieldDescriptor f) {
		return switch (f.getType()) {
		case DOUBLE -> "float64";
		case FLOAT -> "float32";
		case INT32, SINT32, SFIXED32 -> "int32";
		case INT64, SINT64, SFIXED64 -> "int64";
		case UINT32, FIXED32 -> "uint32";
		case UINT64, FIXED64 -> "uint64";
		case BOOL -> "bool";
		case STRING -> "string";
		case BYTES -> "[]uint8";
		case ENUM -> goName(f.getEnumType().getFullName(), f.getEnumType().getFile().getPackage());
		case MESSAGE, GROUP -> goName(f.getMessageType());
		};
	}

	/** protoc-gen-go's name: the message name, nested ones joined with {@code _}. */
	private static String goName(Descriptor d) {
		return goName(d.getFullName(), d.getFile().getPackage());
	}

	private static String goName(String fullName, String pkg) {
		String local = pkg.isEmpty() ? fullName : fullName.substring(pkg.length() + 1);
		return local.replace('.', '_');
	}

	private static Descriptor descriptor(Class<?> type) {
		try {
			return ((Message) type.getMethod("getDefaultInstance").invoke(null)).getDescriptorForType();
		} catch (ReflectiveOperationException | RuntimeException e) {
			return null;
		}
	}

	/** A class whose fields describe it (not a JDK value type, collection, enum or interface). */
	private static boolean isStruct(Class<?> c) {
		return !c.isPrimitive() && !c.isArray() && !c.isEnum() && !c.isInterface()
				&& !c.getName().startsWith("java.") && !c.getName().startsWith("javax.");
	}

	private static List<Field> instanceFields(Class<?> c) {
		List<Class<?>> chain = new ArrayList<>();
		for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
			chain.add(0, k);
		}
		List<Field> fields = new ArrayList<>();
		for (Class<?> k : chain) {
			for (Field f : k.getDeclaredFields()) {
				int m = f.getModifiers();
				if (!Modifier.isStatic(m) && !Modifier.isTransient(m) && !f.isSynthetic()) {
					fields.add(f);
				}
			}
		}
		return fields;
	}

	private static Class<?> rawClass(Type t) {
		if (t instanceof Class<?> c) {
			return c;
		}
		if (t instanceof ParameterizedType p) {
			return rawClass(p.getRawType());
		}
		if (t instanceof WildcardType w) {
			return rawClass(w.getUpperBounds()[0]);
		}
		if (t instanceof TypeVariable<?> v) {
			return rawClass(v.getBounds()[0]);
		}
		return null;
	}

	/** Go's name for a Java type. */
	static String typeName(Type t) {
		if (t instanceof GenericArrayType g) {
			return "[]" + typeName(g.getGenericComponentType());
		}
		Class<?> c = rawClass(t);
		if (c == null) {
			return "interface {}";
		}
		if (c.isArray()) {
			return "[]" + (c.getComponentType() == byte.class ? "uint8" : typeName(c.getComponentType()));
		}
		if (Collection.class.isAssignableFrom(c)) {
			return "[]" + typeName(typeArgument(t, 0));
		}
		if (Map.class.isAssignableFrom(c)) {
			return "map[" + typeName(typeArgument(t, 0)) + "]" + typeName(typeArgument(t, 1));
		}
		if (c == String.class || c == CharSequence.class) {
			return "string";
		}
		if (c == int.class || c == Integer.class || c == char.class || c == Character.class) {
			return "int32";
		}
		if (c == long.class || c == Long.class) {
			return "int64";
		}
		if (c == short.class || c == Short.class) {
			return "int16";
		}
		if (c == byte.class || c == Byte.class) {
			return "int8";
		}
		if (c == boolean.class || c == Boolean.class) {
			return "bool";
		}
		if (c == double.class || c == Double.class) {
			return "float64";
		}
		if (c == float.class || c == Float.class) {
			return "float32";
		}
		if (c == Object.class) {
			return "interface {}";
		}
		if (Message.class.isAssignableFrom(c)) {
			Descriptor d = descriptor(c);
			if (d != null) {
				return goName(d);
			}
		}
		return c.getSimpleName();
	}

	private static Type typeArgument(Type t, int index) {
		if (t instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
			return p.getActualTypeArguments()[index];
		}
		return Object.class;
	}
}
