package micro.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import org.ops4j.pax.exam.Option;

/**
 * The container every in-container test starts from: Felix with the bundles Maven copied to
 * {@code target/bundles} (the reactor's own bundles and their runtime dependencies), less those a test wants to
 * hot-install itself.
 */
final class ContainerOptions {
	private ContainerOptions() {
	}

	static File bundlesDir() {
		return new File(System.getProperty("micro.bundles.dir", "target/bundles"));
	}

	/** The bundle file whose name starts with the prefix. */
	static File bundleFile(String prefix) {
		File[] files = bundlesDir().listFiles((d, n) -> n.startsWith(prefix) && n.endsWith(".jar"));
		if (files == null || files.length == 0) {
			throw new IllegalStateException("no bundle " + prefix + "* in " + bundlesDir());
		}
		return files[0];
	}

	static Option container(Predicate<String> leaveOut) {
		File[] jars = bundlesDir().listFiles((d, n) -> n.endsWith(".jar"));
		if (jars == null) {
			throw new IllegalStateException("no bundles in " + bundlesDir() + "; run through Maven (mvn verify)");
		}
		Arrays.sort(jars);
		List<Option> options = new ArrayList<>();
		options.add(junitBundles());
		options.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
		for (File jar : jars) {
			if (!leaveOut.test(jar.getName())) {
				options.add(bundle(jar.toURI().toString()));
			}
		}
		return composite(options.toArray(Option[]::new));
	}
}
