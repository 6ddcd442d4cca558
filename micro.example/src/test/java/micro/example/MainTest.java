package micro.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import micro.config.MicroConfig;

class MainTest {
	@Test
	void flagsOverrideTheEnvironment() {
		MicroConfig config = Main.config(new String[] { "--registry=memory", "--server_address", "127.0.0.1:9999" },
				Map.of("MICRO_REGISTRY", "mdns", "MICRO_BROKER_ADDRESS", "127.0.0.1:0"));
		assertEquals("memory", config.get(MicroConfig.REGISTRY));
		assertEquals("127.0.0.1:9999", config.get(MicroConfig.SERVER_ADDRESS));
		assertEquals("127.0.0.1:0", config.get(MicroConfig.BROKER_ADDRESS));
	}

	@Test
	void dashesInFlagNamesAreUnderscores() {
		MicroConfig config = Main.config(new String[] { "--client-request-timeout=2s" }, Map.of());
		assertEquals("2s", config.get(MicroConfig.CLIENT_REQUEST_TIMEOUT));
	}

	@Test
	void defaultsApplyWithoutFlags() {
		MicroConfig config = Main.config(new String[0], Map.of());
		assertEquals("127.0.0.1:0", config.get(MicroConfig.SERVER_ADDRESS));
	}

	@Test
	void helpAsksForNoConfiguration() {
		assertNull(Main.config(new String[] { "--help" }, Map.of()));
	}

	@Test
	void badArgumentsAreRejectedClearly() {
		IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
				() -> Main.config(new String[] { "--colour=blue" }, Map.of()));
		assertEquals("unknown flag --colour", unknown.getMessage());
		IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
				() -> Main.config(new String[] { "--registry" }, Map.of()));
		assertEquals("flag --registry needs a value", missing.getMessage());
		IllegalArgumentException stray = assertThrows(IllegalArgumentException.class,
				() -> Main.config(new String[] { "memory" }, Map.of()));
		assertEquals("unexpected argument \"memory\"", stray.getMessage());
	}

	@Test
	void theFlagsAreTheConfigurationKeys() {
		assertTrue(Main.flagNames().contains("registry_address"));
		assertTrue(!Main.flagNames().contains("micro"));
	}
}
