package micro.cli.server;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import micro.config.MicroConfig;
import micro.runtime.MicroTargets;

/**
 * The {@code micro} configuration of a container: {@code conf/micro.cfg}, then the {@code MICRO_*} environment
 * variables, then the command line's global flags, each overriding the one before; plus the Declarative Services
 * target filters that make the runtime's references pick the selected registry, broker and transport.
 */
public final class ServerConfig {
	/** The framework property that carries the global flags of {@code micro server} into the container. */
	public static final String FLAGS_PROPERTY = "micro.flags";
	/** The framework property with the distribution's home folder. */
	public static final String HOME_PROPERTY = "micro.home";
	/** The base configuration file, in the distribution's {@code conf/} folder (FileInstall's {@code .cfg} format). */
	public static final String CONFIG_FILE = "micro.cfg";

	private ServerConfig() {
	}

	/**
	 * The configuration to write: the layers merged (blank values do not override), and the runtime's
	 * {@code <reference>.target} filters ({@link MicroTargets}) for the selected registry, broker and transport
	 * (defaults included), unless a layer sets one itself.
	 */
	public static Map<String, String> merge(Map<String, String> file, Map<String, String> env, Map<String, String> flags) {
		Map<String, String> merged = new TreeMap<>();
		for (Map<String, String> layer : java.util.List.of(file, env, flags)) {
			layer.forEach((k, v) -> {
				if (v != null && !v.isBlank()) {
					merged.put(k, v.trim());
				}
			});
		}
		MicroTargets.of(MicroConfig.of(merged)).forEach(merged::putIfAbsent);
		return merged;
	}

	/** The keys and values of a {@code .cfg} file; empty when there is none. */
	public static Map<String, String> readFile(Path file) {
		if (!Files.isRegularFile(file)) {
			return Map.of();
		}
		try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			return toMap(load(in));
		} catch (IOException e) {
			throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
		}
	}

	/** Flags as one property value (the properties file format), to pass them through a framework property. */
	public static String encode(Map<String, String> flags) {
		Properties p = new Properties();
		p.putAll(flags);
		StringWriter w = new StringWriter();
		try {
			p.store(w, null);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return w.toString();
	}

	public static Map<String, String> decode(String encoded) {
		if (encoded == null || encoded.isBlank()) {
			return Map.of();
		}
		try {
			return toMap(load(new StringReader(encoded)));
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static Properties load(Reader in) throws IOException {
		Properties p = new Properties();
		p.load(in);
		return p;
	}

	private static Map<String, String> toMap(Properties p) {
		Map<String, String> m = new TreeMap<>();
		p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
		return m;
	}
}
