package micro.protoc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;

/**
 * The Java classes protoc's {@code java_out} makes for the messages of a request's files: the package
 * ({@code java_package}, else the proto package), nested in the file's outer class unless {@code java_multiple_files}.
 */
final class JavaTypes {
	/** A Java class: its package and its full name with dots (nested classes included). */
	record JavaClass(String javaPackage, String name) {
	}

	/** By proto full name with a leading dot. */
	private final Map<String, JavaClass> classes = new HashMap<>();

	JavaTypes(List<FileDescriptorProto> files) {
		for (FileDescriptorProto file : files) {
			String protoPrefix = file.getPackage().isEmpty() ? "." : "." + file.getPackage() + ".";
			String javaPackage = javaPackage(file);
			String javaPrefix = prefix(javaPackage);
			if (!file.getOptions().getJavaMultipleFiles()) {
				javaPrefix = javaPrefix + outerClassName(file) + ".";
			}
			for (DescriptorProto message : file.getMessageTypeList()) {
				add(javaPackage, message, protoPrefix, javaPrefix);
			}
		}
	}

	private void add(String javaPackage, DescriptorProto message, String protoPrefix, String javaPrefix) {
		String protoName = protoPrefix + message.getName();
		String javaName = javaPrefix + message.getName();
		classes.put(protoName, new JavaClass(javaPackage, javaName));
		for (DescriptorProto nested : message.getNestedTypeList()) {
			add(javaPackage, nested, protoName + ".", javaName + ".");
		}
	}

	private static String prefix(String javaPackage) {
		return javaPackage.isEmpty() ? "" : javaPackage + ".";
	}

	/** The Java class of a message type such as {@code .go.micro.srv.example.Request}. */
	JavaClass messageClass(String protoType) {
		JavaClass name = classes.get(protoType);
		if (name == null) {
			throw new IllegalArgumentException("message type " + protoType + " is not in the request's files");
		}
		return name;
	}

	static String javaPackage(FileDescriptorProto file) {
		return file.getOptions().hasJavaPackage() ? file.getOptions().getJavaPackage() : file.getPackage();
	}

	/**
	 * The outer class: {@code java_outer_classname}, else the file's base name in camel case, with {@code OuterClass}
	 * appended when a message, enum or service of the file has that name (as protobuf-java's name resolver).
	 */
	static String outerClassName(FileDescriptorProto file) {
		if (file.getOptions().hasJavaOuterClassname()) {
			return file.getOptions().getJavaOuterClassname();
		}
		String name = Names.fileClassName(file.getName());
		return conflicts(file, name) ? name + "OuterClass" : name;
	}

	private static boolean conflicts(FileDescriptorProto file, String name) {
		for (EnumDescriptorProto e : file.getEnumTypeList()) {
			if (e.getName().equals(name)) {
				return true;
			}
		}
		for (ServiceDescriptorProto s : file.getServiceList()) {
			if (s.getName().equals(name)) {
				return true;
			}
		}
		for (DescriptorProto m : file.getMessageTypeList()) {
			if (conflicts(m, name)) {
				return true;
			}
		}
		return false;
	}

	private static boolean conflicts(DescriptorProto message, String name) {
		if (message.getName().equals(name)) {
			return true;
		}
		for (EnumDescriptorProto e : message.getEnumTypeList()) {
			if (e.getName().equals(name)) {
				return true;
			}
		}
		for (DescriptorProto nested : message.getNestedTypeList()) {
			if (conflicts(nested, name)) {
				return true;
			}
		}
		return false;
	}
}
