package micro.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import micro.config.MicroConfig;

class RuntimeConfigurationTest {
	/** The metatype description and the defaults the code uses must not drift apart. */
	@Test
	void metatypeDefaultsAreTheRuntimeDefaults() {
		Map<String, String> described = new TreeMap<>();
		for (Method m : RuntimeConfiguration.class.getDeclaredMethods()) {
			Object d = m.getDefaultValue();
			if (d != null) {
				described.put(m.getName().replace("__", "_"), String.valueOf(d));
			}
		}
		assertEquals(new TreeMap<>(MicroConfig.DEFAULTS), described);
	}

	@Test
	void everyDescribedKeyIsAKeyOfTheConfiguration() throws Exception {
		for (Method m : RuntimeConfiguration.class.getDeclaredMethods()) {
			String key = m.getName().replace("__", "_");
			boolean known = false;
			for (var f : MicroConfig.class.getFields()) {
				if (f.getType() == String.class && key.equals(f.get(null))) {
					known = true;
				}
			}
			assertTrue(known, key + " is a MicroConfig key");
		}
	}
}
