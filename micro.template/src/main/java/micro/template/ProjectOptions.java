package micro.template;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What {@code micro new} makes: the folder, the names (namespace, type, alias, fully qualified service name) and the
 * plugins, checked. The constructor fills the Go defaults: the alias is the folder's base name, the name
 * {@code <namespace>.<type>.<alias>}.
 *
 * @param dir          the folder to create
 * @param namespace    default {@code go.micro}
 * @param type         the kind of project
 * @param typeSpelling the type as given ({@code srv} or {@code service}, …), the type part of the default name
 * @param alias        the short name: the proto service, the handler class, the folder's default
 * @param fqdn         the service name, for example {@code go.micro.srv.example}
 * @param plugins      what it runs with, beside the defaults
 */
public record ProjectOptions(Path dir, String namespace, ServiceType type, String typeSpelling, String alias,
		String fqdn, List<Plugin> plugins) {

	public static final String DEFAULT_NAMESPACE = "go.micro";
	public static final String DEFAULT_TYPE = "srv";

	private static final Pattern ALIAS = Pattern.compile("[a-zA-Z][a-zA-Z0-9]*(-[a-zA-Z0-9]+)*");
	private static final Pattern DOTTED = Pattern.compile("[a-zA-Z0-9_-]+(\\.[a-zA-Z0-9_-]+)*");
	private static final Set<String> JAVA_RESERVED = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
			"catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final",
			"finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long",
			"native", "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
			"super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile",
			"while", "true", "false", "null", "_");

	/**
	 * @throws IllegalArgumentException with a message for the user when a name is not usable
	 */
	public ProjectOptions {
		if (dir == null || dir.toString().isBlank()) {
			throw new IllegalArgumentException("specify service name: micro new <dir>");
		}
		namespace = namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace.trim();
		if (!DOTTED.matcher(namespace).matches()) {
			throw new IllegalArgumentException("invalid namespace \"" + namespace
					+ "\": dot-separated words of letters, digits, hyphens and underscores, as go.micro");
		}
		if (typeSpelling == null || typeSpelling.isBlank()) {
			typeSpelling = type != null ? type.spelling() : DEFAULT_TYPE;
		}
		typeSpelling = typeSpelling.trim().toLowerCase(Locale.ROOT);
		ServiceType spelled = ServiceType.of(typeSpelling);
		if (type != null && type != spelled) {
			throw new IllegalArgumentException("the type " + type + " is not spelled " + typeSpelling);
		}
		type = spelled;
		if (alias == null || alias.isBlank()) {
			Path name = dir.toAbsolutePath().normalize().getFileName();
			alias = name == null ? "" : name.toString();
			if (!ALIAS.matcher(alias).matches()) {
				throw new IllegalArgumentException("invalid alias \"" + alias + "\" (the folder's name): an alias starts"
						+ " with a letter and has letters, digits and single hyphens; give one with --alias");
			}
		}
		alias = alias.trim();
		if (!ALIAS.matcher(alias).matches()) {
			throw new IllegalArgumentException("invalid alias \"" + alias
					+ "\": an alias starts with a letter and has letters, digits and single hyphens, as my-service");
		}
		fqdn = fqdn == null || fqdn.isBlank() ? namespace + "." + typeSpelling + "." + alias : fqdn.trim();
		if (!DOTTED.matcher(fqdn).matches()) {
			throw new IllegalArgumentException("invalid fqdn \"" + fqdn
					+ "\": dot-separated words of letters, digits, hyphens and underscores, as go.micro.srv.example");
		}
		plugins = plugins == null ? List.of() : List.copyOf(plugins);
	}

	/** The Go defaults for everything but the folder. */
	public ProjectOptions(Path dir) {
		this(dir, null, null, null, null, null, null);
	}

	/** Title case without hyphens ({@code my-service} gives {@code MyService}): the proto service, the classes. */
	public String title() {
		StringBuilder b = new StringBuilder();
		for (String part : alias.split("-")) {
			b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
		}
		return b.toString();
	}

	/** The proto package: the service name without hyphens (Go's {@code dehyphen}). */
	public String protoPackage() {
		return fqdn.replace("-", "");
	}

	/** The project's Java package: the service name, each part made a Java identifier. */
	public String javaPackage() {
		List<String> parts = new ArrayList<>();
		for (String part : fqdn.toLowerCase(Locale.ROOT).replace("-", "").split("\\.")) {
			String p = part.isEmpty() ? "_" : part;
			if (Character.isDigit(p.charAt(0))) {
				p = "_" + p;
			}
			if (JAVA_RESERVED.contains(p)) {
				p = p + "_";
			}
			parts.add(p);
		}
		return String.join(".", parts);
	}

	/** The service an api or web project calls: {@code <namespace>.srv.<alias>}, what {@code micro new} makes. */
	public String backend() {
		return namespace + ".srv." + alias;
	}
}
