package micro.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import micro.config.MicroConfig;

class GlobalFlagsTest {
	@Test
	void bothFormsOfEveryConfigKeyBeforeTheCommand() {
		GlobalFlags.Parsed p = GlobalFlags.parse(List.of("--registry=memory", "--client_retries", "3", "-selector=registry",
				"--client_request_timeout", "250ms", "call", "svc", "Svc.Do", "--address", "x"));
		assertEquals(Map.of("registry", "memory", "client_retries", "3", "selector", "registry",
				"client_request_timeout", "250ms"), p.flags());
		assertEquals("call", p.command());
		assertEquals(List.of("svc", "Svc.Do", "--address", "x"), p.args());
		for (String key : MicroConfig.DEFAULTS.keySet()) {
			assertTrue(GlobalFlags.FLAGS.containsKey(key), key);
		}
	}

	@Test
	void serverMetadataRepeats() {
		GlobalFlags.Parsed p = GlobalFlags.parse(List.of("--server_metadata", "a=1", "--server_metadata=b=2", "list"));
		assertEquals("a=1,b=2", p.flags().get("server_metadata"));
	}

	@Test
	void helpVersionAndNoCommand() {
		assertTrue(GlobalFlags.parse(List.of("--help")).help());
		assertTrue(GlobalFlags.parse(List.of("-h")).help());
		assertTrue(GlobalFlags.parse(List.of("--version")).version());
		GlobalFlags.Parsed none = GlobalFlags.parse(List.of());
		assertNull(none.command());
		assertFalse(none.help());
	}

	@Test
	void unknownFlagMissingValueAndBadValuesAreRefused() {
		CliException unknown = assertThrows(CliException.class, () -> GlobalFlags.parse(List.of("--registery=mdns", "list")));
		assertTrue(unknown.getMessage().contains("flag provided but not defined: -registery"), unknown.getMessage());
		CliException missing = assertThrows(CliException.class, () -> GlobalFlags.parse(List.of("--registry")));
		assertTrue(missing.getMessage().contains("flag needs an argument: -registry"), missing.getMessage());
		CliException retries = assertThrows(CliException.class, () -> GlobalFlags.parse(List.of("--client_retries=two", "list")));
		assertTrue(retries.getMessage().contains("invalid value \"two\" for flag -client_retries"), retries.getMessage());
		assertThrows(CliException.class, () -> GlobalFlags.parse(List.of("--client_request_timeout=soon", "list")));
	}

	@Test
	void serverTakesGlobalFlagsAfterTheCommandToo() {
		Map<String, String> flags = new LinkedHashMap<>();
		List<String> rest = GlobalFlags.extract(List.of("--server_address=127.0.0.1:0", "--nointeractive", "--registry", "mdns"), flags);
		assertEquals(Map.of("server_address", "127.0.0.1:0", "registry", "mdns"), flags);
		assertEquals(List.of("--nointeractive"), rest);
	}

	@Test
	void environmentVariablesAreCheckedAndFlagsOverrideThem() {
		Map<String, String> env = Map.of("MICRO_REGISTRY", "memory", "MICRO_CLIENT_RETRIES", "4", "HOME", "/root",
				"MICRO_NOT_A_FLAG", "x");
		assertEquals(Map.of("registry", "memory", "client_retries", "4"), Main.fromEnvironment(env));
		CliException bad = assertThrows(CliException.class, () -> Main.fromEnvironment(Map.of("MICRO_REGISTER_TTL", "long")));
		assertTrue(bad.getMessage().contains("MICRO_REGISTER_TTL"), bad.getMessage());
	}
}
