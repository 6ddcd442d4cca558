package micro.registry.etcd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import micro.config.MicroConfig;

class EtcdOptionsTest {

	@Test
	void defaultsAreGoMicros() {
		EtcdOptions o = EtcdOptions.defaults();
		assertEquals(List.of("127.0.0.1:2379"), o.endpoints());
		assertEquals(Duration.ofSeconds(5), o.timeout());
		assertFalse(o.tls());
		assertNull(o.username());
		assertEquals(List.of(URI.create("http://127.0.0.1:2379")), o.uris());
		assertEquals(EtcdOptions.defaults(), EtcdOptions.fromConfig(MicroConfig.of(Map.of())));
	}

	@Test
	void addressesGetTheDefaultPortAndLoseTheirScheme() {
		EtcdOptions o = EtcdOptions.of("10.0.0.1, http://10.0.0.2:2381/ ,etcd.example:1234,[::1],[::1]:23");
		assertEquals(List.of("10.0.0.1:2379", "10.0.0.2:2381", "etcd.example:1234", "[::1]:2379", "[::1]:23"),
				o.endpoints());
		assertEquals("10.0.0.1:2379,10.0.0.2:2381,etcd.example:1234,[::1]:2379,[::1]:23", o.describe());
		assertEquals(URI.create("http://10.0.0.2:2381"), o.uris().get(1));
	}

	@Test
	void httpsTurnsTlsOn() {
		EtcdOptions o = EtcdOptions.of("https://etcd.example");
		assertTrue(o.tls());
		assertEquals(URI.create("https://etcd.example:2379"), o.uris().get(0));
	}

	@Test
	void readsItsConfigurationKeys(@TempDir Path dir) throws Exception {
		Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
		Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
		Path key = Files.writeString(dir.resolve("key.pem"), "x");
		EtcdOptions o = EtcdOptions.fromConfig(MicroConfig.of(Map.of("registry_address", "a:1,b",
				"registry_username", "root", "registry_password", "secret", "registry_tls_ca", ca.toString(),
				"registry_tls_cert", cert.toString(), "registry_tls_key", key.toString(), "registry_timeout", "1500ms")));
		assertEquals(List.of("a:1", "b:2379"), o.endpoints());
		assertEquals("root", o.username());
		assertEquals("secret", o.password());
		assertTrue(o.tls());
		assertEquals(ca, o.tlsCa());
		assertEquals(cert, o.tlsCert());
		assertEquals(key, o.tlsKey());
		assertEquals(Duration.ofMillis(1500), o.timeout());
		assertFalse(o.toString().contains("secret"), "the password is never printed");

		assertTrue(EtcdOptions.fromConfig(MicroConfig.of(Map.of("registry_tls", "true"))).tls());
		assertEquals(Duration.ofSeconds(3),
				EtcdOptions.fromConfig(MicroConfig.of(Map.of("registry_timeout", "3"))).timeout());
		// the environment's spelling reaches the same keys
		assertEquals("bob", EtcdOptions.fromConfig(MicroConfig.of(MicroConfig.fromEnvironment(
				Map.of("MICRO_REGISTRY_USERNAME", "bob", "MICRO_REGISTRY_ADDRESS", "10.0.0.1")))).username());
	}

	@Test
	void rejectsBadInputClearly(@TempDir Path dir) {
		assertMessage("bad port", () -> EtcdOptions.of("host:http"));
		assertMessage("port out of range", () -> EtcdOptions.of("host:70000"));
		assertMessage("only http:// and https://", () -> EtcdOptions.of("unix://sock"));
		assertMessage("brackets", () -> EtcdOptions.of("::1:2379"));
		assertMessage("expected host:port", () -> EtcdOptions.of("host:2379/path"));
		assertMessage("needs a username", () -> EtcdOptions.defaults().withCredentials(null, "pw"));
		assertMessage("cannot read TLS file", () -> EtcdOptions.defaults().withTls(dir.resolve("missing.pem"), null, null));
		assertMessage("needs both", () -> EtcdOptions.defaults().withTls(null, dir, null));
		assertMessage("must be positive", () -> EtcdOptions.defaults().withTimeout(Duration.ZERO));
		assertMessage("true or false",
				() -> EtcdOptions.fromConfig(MicroConfig.of(Map.of("registry_tls", "maybe"))));
	}

	private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
		IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
		assertTrue(x.getMessage().contains(part), x.getMessage());
	}
}
