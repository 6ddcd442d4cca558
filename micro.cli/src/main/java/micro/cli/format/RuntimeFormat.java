package micro.cli.format;

import java.util.ArrayList;
import java.util.List;

import micro.cli.runtime.BundleStatus;
import micro.cli.runtime.KillResponse;
import micro.cli.runtime.ListResponse;
import micro.cli.runtime.PluginStatus;
import micro.cli.runtime.PluginsResponse;
import micro.cli.runtime.RunResponse;

/** The text of {@code micro run}, {@code micro kill} and {@code micro status} (no Go original: these run bundles). */
public final class RuntimeFormat {
	private RuntimeFormat() {
	}

	/**
	 * The first line says what was done and the state; then one line per service, or, when the bundle does not run as
	 * it should, one line per missing requirement or problem, the framework's error and what to do.
	 */
	public static String run(RunResponse r) {
		List<String> lines = new ArrayList<>();
		String what = (r.updated() ? "updated " : "installed ") + r.name() + " " + r.version() + " (bundle " + r.id()
				+ "): " + r.state();
		if ("INSTALLED".equals(r.state())) {
			what += ", it does not resolve";
		}
		lines.add(what);
		for (String s : r.services()) {
			lines.add("service " + s);
		}
		for (String u : r.unresolved()) {
			lines.add("missing requirement " + u);
		}
		lines.addAll(r.problems());
		if (!r.error().isEmpty()) {
			lines.add("error: " + r.error());
		}
		if (!r.ok()) {
			lines.add("it stays installed: install what it needs and run it again, or remove it with: micro kill "
					+ r.name());
		}
		return String.join("\n", lines);
	}

	/** One line per bundle removed. */
	public static String kill(KillResponse r) {
		List<String> lines = new ArrayList<>();
		for (BundleStatus b : r.killed()) {
			lines.add("killed " + b.name() + " " + b.version() + " (bundle " + b.id() + ")"
					+ (b.services().isEmpty() ? "" : ": " + String.join(",", b.services())));
		}
		return String.join("\n", lines);
	}

	/** A tab-separated table of the bundles. */
	public static String status(ListResponse r) {
		List<String> lines = new ArrayList<>();
		lines.add("ID\tNAME\tVERSION\tSTATE\tSERVICES");
		for (BundleStatus b : r.bundles()) {
			lines.add(b.id() + "\t" + b.name() + "\t" + b.version() + "\t" + b.state() + "\t"
					+ String.join(",", b.services()));
		}
		return String.join("\n", lines);
	}

	/** A tab-separated table of the plugins; {@code *} marks the one the configuration selects for its kind. */
	public static String plugins(PluginsResponse r) {
		List<String> lines = new ArrayList<>();
		lines.add("KIND\tNAME\tSELECTED\tBUNDLE\tVERSION\tSTATE");
		for (PluginStatus p : r.plugins()) {
			lines.add(p.kind() + "\t" + p.name() + "\t" + (p.selected() ? "*" : "") + "\t" + p.bundle() + " (" + p.bundleId()
					+ ")\t" + p.version() + "\t" + p.state());
		}
		return String.join("\n", lines);
	}
}
