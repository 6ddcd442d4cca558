package micro.template;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes the project of {@code micro new}: a Maven project that builds one bundle with bnd, with the proto, the
 * handler, the subscriber, a handler test, README, Dockerfile and .gitignore of its type (see the module's README).
 */
public final class ProjectGenerator {
	/** The versions the generated pom uses, from this module's build. */
	private final Properties versions = new Properties();

	public ProjectGenerator() {
		try (InputStream in = ProjectGenerator.class.getResourceAsStream("/micro/template/versions.properties")) {
			if (in == null) {
				throw new IllegalStateException("versions.properties is missing from the micro.template jar");
			}
			versions.load(in);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** One file to write: the template's name and the path in the project (with values in it). */
	private record Entry(String template, String path) {
	}

	/**
	 * Creates the folder and writes the project into it. On a failure nothing is left behind.
	 *
	 * @param command the command line that made it, for the README and the pom
	 * @return the paths written, relative to the folder, in the order written
	 * @throws FileAlreadyExistsException when the folder exists
	 * @throws IOException                when a file cannot be written
	 */
	public List<String> generate(ProjectOptions options, String command) throws IOException {
		Path dir = options.dir();
		if (Files.exists(dir)) {
			throw new FileAlreadyExistsException(dir.toString(), null, dir + " already exists");
		}
		Map<String, String> values = values(options, command);
		Set<String> flags = flags(options);
		List<String> written = new ArrayList<>();
		Files.createDirectories(dir);
		try {
			for (Entry e : entries(options)) {
				String path = Template.render(e.path(), values, flags);
				Path file = dir.resolve(path);
				Files.createDirectories(file.getParent());
				Files.writeString(file, Template.render(Template.load(e.template()), values, flags),
						StandardCharsets.UTF_8);
				written.add(path);
			}
		} catch (IOException | RuntimeException e) {
			deleteTree(dir);
			throw e;
		}
		return written;
	}

	private static List<Entry> entries(ProjectOptions options) {
		String main = "src/main/java/{{packagePath}}/";
		String test = "src/test/java/{{packagePath}}/";
		List<Entry> out = new ArrayList<>();
		out.add(new Entry("pom.xml", "pom.xml"));
		out.add(new Entry("bnd.bnd", "bnd.bnd"));
		switch (options.type()) {
		case SERVICE -> {
			out.add(new Entry("proto/srv.proto", "src/main/proto/{{alias}}.proto"));
			out.add(new Entry("java/Service.java", main + "{{title}}Service.java"));
			out.add(new Entry("java/srv/Handler.java", main + "handler/{{title}}.java"));
			out.add(new Entry("java/Subscriber.java", main + "subscriber/{{title}}.java"));
			out.add(new Entry("java/srv/HandlerTest.java", test + "handler/{{title}}Test.java"));
		}
		case FUNCTION -> {
			out.add(new Entry("proto/fnc.proto", "src/main/proto/{{alias}}.proto"));
			out.add(new Entry("java/Service.java", main + "{{title}}Service.java"));
			out.add(new Entry("java/fnc/Handler.java", main + "handler/{{title}}.java"));
			out.add(new Entry("java/Subscriber.java", main + "subscriber/{{title}}.java"));
			out.add(new Entry("java/fnc/HandlerTest.java", test + "handler/{{title}}Test.java"));
		}
		case API -> {
			out.add(new Entry("proto/api.proto", "src/main/proto/{{alias}}.proto"));
			out.add(new Entry("proto/go-api.proto", "src/main/proto/proto/imports/api.proto"));
			out.add(new Entry("java/Service.java", main + "{{title}}Service.java"));
			out.add(new Entry("java/api/Handler.java", main + "handler/{{title}}.java"));
			out.add(new Entry("java/api/HandlerTest.java", test + "handler/{{title}}Test.java"));
		}
		case WEB -> {
			out.add(new Entry("web/index.html", "src/main/resources/html/index.html"));
			out.add(new Entry("java/Service.java", main + "{{title}}Service.java"));
			out.add(new Entry("java/web/Web.java", main + "web/{{title}}Web.java"));
			out.add(new Entry("java/web/Handler.java", main + "handler/{{title}}Handler.java"));
			out.add(new Entry("java/web/WebTest.java", test + "web/{{title}}WebTest.java"));
		}
		}
		out.add(new Entry("Dockerfile", "Dockerfile"));
		out.add(new Entry("README.md", "README.md"));
		out.add(new Entry("gitignore", ".gitignore"));
		return out;
	}

	private Map<String, String> values(ProjectOptions o, String command) {
		Map<String, String> v = new LinkedHashMap<>();
		v.put("command", command);
		v.put("alias", o.alias());
		v.put("title", o.title());
		v.put("fqdn", o.fqdn());
		v.put("namespace", o.namespace());
		v.put("typeSpelling", o.typeSpelling());
		v.put("typeName", switch (o.type()) {
		case SERVICE -> "service";
		case FUNCTION -> "function";
		case API -> "API";
		case WEB -> "web app";
		});
		v.put("protoPackage", o.protoPackage());
		v.put("javaPackage", o.javaPackage());
		v.put("packagePath", o.javaPackage().replace('.', '/'));
		v.put("backend", o.backend());
		for (String key : List.of("microVersion", "protobufVersion", "bndVersion", "junitVersion", "jacksonVersion")) {
			v.put(key, versions.getProperty(key));
		}
		v.put("pluginFlag", o.plugins().stream().map(Plugin::toString).collect(Collectors.joining(":")));
		v.put("pluginBundles", o.plugins().stream().map(Plugin::bundle).collect(Collectors.joining(", ")));
		v.put("pluginServerFlags", o.plugins().stream().map(p -> "--" + p.kind() + "=" + p.name())
				.collect(Collectors.joining(" ")));
		v.put("pluginRequirements", o.plugins().stream()
				.map(p -> "osgi.service;filter:=\"" + p.serviceFilter() + "\";effective:=active")
				.collect(Collectors.joining(",\\\n  ")));
		return v;
	}

	private static Set<String> flags(ProjectOptions o) {
		Set<String> flags = new HashSet<>();
		flags.add(o.type().spelling());
		if (o.type().hasProto()) {
			flags.add("proto");
		}
		if (o.type() == ServiceType.SERVICE || o.type() == ServiceType.FUNCTION) {
			flags.add("subscriber");
		}
		if (!o.plugins().isEmpty()) {
			flags.add("plugins");
		}
		return flags;
	}

	private static void deleteTree(Path dir) {
		try (Stream<Path> paths = Files.walk(dir)) {
			for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		} catch (IOException e) {
			// best effort: the caller reports the first failure, which matters more
		}
	}
}
