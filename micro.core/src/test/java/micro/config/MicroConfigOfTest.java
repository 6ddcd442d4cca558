package micro.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Reading component properties as Declarative Services hands them over. */
class MicroConfigOfTest {
	@Test
	void multiValuedPropertiesReadAsTheirCommaSeparatedValues() {
		MicroConfig config = MicroConfig.of(Map.of("broker_address", new String[] { "127.0.0.1:1", "127.0.0.1:2" },
				"component.id", 7L, "enable_stats", true, "registry", ""));
		assertEquals(List.of("127.0.0.1:1", "127.0.0.1:2"), config.getList(MicroConfig.BROKER_ADDRESS));
		assertEquals("7", config.get("component.id"));
		assertEquals("true", config.get("enable_stats"));
		assertEquals(MicroConfig.DEFAULTS.get(MicroConfig.REGISTRY), config.get(MicroConfig.REGISTRY), "empty keeps the default");
	}
}
