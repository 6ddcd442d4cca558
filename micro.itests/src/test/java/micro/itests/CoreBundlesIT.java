package micro.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** The core bundles resolve and start in Felix. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CoreBundlesIT {
	@Inject
	BundleContext context;

	@Configuration
	public Option[] config() {
		return new Option[] { ContainerOptions.container(name -> false) };
	}

	@Test
	public void everyBundleIsActive() {
		StringBuilder notActive = new StringBuilder();
		for (Bundle b : context.getBundles()) {
			boolean fragment = b.getHeaders().get("Fragment-Host") != null;
			if (!fragment && b.getState() != Bundle.ACTIVE) {
				notActive.append(b.getSymbolicName()).append(" state ").append(b.getState()).append('\n');
			}
		}
		assertEquals("bundles not active:\n" + notActive, "", notActive.toString());
	}

	@Test
	public void coreExportsTheApiPackages() {
		Bundle core = null;
		for (Bundle b : context.getBundles()) {
			if ("micro.core".equals(b.getSymbolicName())) {
				core = b;
			}
		}
		assertTrue("micro.core is installed", core != null);
		String exports = core.getHeaders().get("Export-Package");
		for (String pkg : new String[] { "micro.registry", "micro.client", "micro.server", "micro.broker",
				"micro.transport", "micro.codec", "micro.errors", "micro.metadata", "micro.config" }) {
			assertTrue(pkg + " exported", exports.contains(pkg + ";"));
		}
	}
}
