package micro.protoc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The imports of one generated class: each type is written by its simple name when that is unambiguous, else fully
 * qualified. Types added first win a simple name (the proto's messages before micro's own types, so that a message named
 * {@code Request} stays {@code Request} and the client's request is {@code micro.client.Request}).
 */
final class Imports {
	private final String ownPackage;
	private final Set<String> reserved;
	private final Map<String, String> bySimpleName = new LinkedHashMap<>();
	private final List<String> all = new ArrayList<>();
	private final Map<String, String> packages = new LinkedHashMap<>();

	/**
	 * @param reserved simple names that must not be imported: the class's own name and its nested classes, and the
	 *                 {@code java.lang} types the code uses unqualified
	 */
	Imports(String ownPackage, Set<String> reserved) {
		this.ownPackage = ownPackage;
		this.reserved = reserved;
	}

	/** Adds a type the class uses: its package, and its name with dots (nested classes included). */
	void add(String javaPackage, String type) {
		if (all.contains(type)) {
			return;
		}
		all.add(type);
		packages.put(type, javaPackage);
		String simple = simpleName(type);
		if (!reserved.contains(simple)) {
			bySimpleName.putIfAbsent(simple, type);
		}
	}

	/** How the class writes the type. */
	String name(String type) {
		if (!all.contains(type)) {
			throw new IllegalStateException(type + " was not added");
		}
		String simple = simpleName(type);
		return type.equals(bySimpleName.get(simple)) ? simple : type;
	}

	/** The import lines, sorted; nothing for types of the class's own package. */
	String block() {
		Set<String> lines = new TreeSet<>();
		for (String type : bySimpleName.values()) {
			boolean topLevelHere = packages.get(type).equals(ownPackage)
					&& !type.substring(prefixLength()).contains(".");
			if (!topLevelHere) {
				lines.add("import " + type + ";\n");
			}
		}
		return String.join("", lines);
	}

	private int prefixLength() {
		return ownPackage.isEmpty() ? 0 : ownPackage.length() + 1;
	}

	private static String simpleName(String type) {
		return type.substring(type.lastIndexOf('.') + 1);
	}
}
