package micro.cli.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import micro.registry.Endpoint;
import micro.registry.Node;
import micro.registry.Service;
import micro.registry.Value;

/**
 * The text the Go CLI prints for the registry commands (micro v2.9.3, {@code internal/command/cli/command.go}):
 * {@code list services} and {@code get service}. Where Go iterates a map (node and endpoint metadata) the keys are
 * sorted here, so the output is stable.
 */
public final class ServiceFormat {
	private ServiceFormat() {
	}

	/** {@code list services}: the names, sorted, one per line, each once. */
	public static String serviceNames(List<Service> services) {
		TreeSet<String> names = new TreeSet<>();
		for (Service s : services) {
			names.add(s.name());
		}
		return String.join("\n", names);
	}

	/** One node of {@code list nodes}. */
	public record NodeRow(String service, String version, String id, String address, Map<String, String> metadata) {
	}

	/**
	 * {@code list nodes}: a tab-separated table {@code SERVICE VERSION ID ADDRESS METADATA}, one row per node (Go's
	 * {@code list nodes} asks the network service, which this runtime does not have: this lists the registry's nodes).
	 */
	public static String nodes(List<NodeRow> rows) {
		List<String> lines = new ArrayList<>();
		lines.add("SERVICE\tVERSION\tID\tADDRESS\tMETADATA");
		for (NodeRow r : rows) {
			lines.add(r.service() + "\t" + r.version() + "\t" + r.id() + "\t" + r.address() + "\t" + keyValues(r.metadata()));
		}
		return String.join("\n", lines);
	}

	/**
	 * {@code get service}: the name, then per version its nodes as {@code ID\tAddress\tMetadata} rows, then the
	 * endpoints of the first version with their request and response value trees. Lines are joined with a newline
	 * and the caller adds the final one, as Go's {@code Print} does.
	 */
	public static String service(List<Service> versions) {
		if (versions.isEmpty()) {
			throw new IllegalArgumentException("no service to format");
		}
		List<String> output = new ArrayList<>();
		output.add("service  " + versions.get(0).name());
		for (Service version : versions) {
			if (!version.version().isEmpty()) {
				output.add("\nversion " + version.version());
			}
			output.add("\nID\tAddress\tMetadata");
			for (Node node : version.nodes()) {
				output.add(node.id() + "\t" + node.address() + "\t" + keyValues(node.metadata()));
			}
		}
		for (Endpoint e : versions.get(0).endpoints()) {
			output.add("\nEndpoint: " + e.name() + "\n");
			if (!e.metadata().isEmpty()) {
				output.add("Metadata: " + keyValues(e.metadata()) + "\n");
			}
			output.add("Request: " + valueTree(e.request()) + "\n\nResponse: " + valueTree(e.response()) + "\n");
		}
		return String.join("\n", output);
	}

	/** {@code k=v} pairs joined with commas, by key. */
	static String keyValues(Map<String, String> metadata) {
		List<String> pairs = new ArrayList<>();
		new TreeMap<>(metadata).forEach((k, v) -> pairs.add(k + "=" + v));
		return String.join(",", pairs);
	}

	/** A request or response: {@code {}} when it has no fields, else the fields between braces. */
	static String valueTree(Value value) {
		if (value == null || value.values().isEmpty()) {
			return "{}";
		}
		StringBuilder out = new StringBuilder("{\n");
		for (Value field : value.values()) {
			field(out, field, 0);
		}
		return out.append('}').toString();
	}

	/**
	 * One field at a depth: depth+1 tabs, the snake_case name and the type; a message with fields opens a brace, lists
	 * them one level deeper and closes it at its own indentation.
	 */
	private static void field(StringBuilder out, Value value, int depth) {
		String indent = "\t".repeat(depth + 1);
		out.append(indent).append(SnakeCase.of(value.name())).append(' ').append(value.type());
		if (value.values().isEmpty()) {
			out.append('\n');
			return;
		}
		out.append(" {\n");
		for (Value child : value.values()) {
			field(out, child, depth + 1);
		}
		out.append(indent).append("}\n");
	}
}
