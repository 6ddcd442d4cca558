package micro.registry.etcd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import micro.config.MicroConfig;
import micro.registry.RegistryException;

/** TLS from the configuration keys, against an etcd that serves TLS only and requires client certificates. */
class EtcdTlsTest {
	@RegisterExtension
	static final EtcdServer ETCD = EtcdServer.withTls();

	private static EtcdOptions options(Map<String, String> extra) {
		Map<String, String> config = new HashMap<>(
				Map.of(MicroConfig.REGISTRY_ADDRESS, ETCD.endpoint(), EtcdOptions.TIMEOUT, "3s"));
		config.putAll(extra);
		return EtcdOptions.fromConfig(MicroConfig.of(config));
	}

	@Test
	void registersOverTlsWithAClientCertificate() throws Exception {
		EtcdOptions options = options(Map.of(EtcdOptions.TLS_CA, ETCD.tlsFile("ca.pem").toString(),
				EtcdOptions.TLS_CERT, ETCD.tlsFile("client.pem").toString(), EtcdOptions.TLS_KEY,
				ETCD.tlsFile("client.key").toString()));
		assertTrue(options.tls());
		try (EtcdRegistry registry = new EtcdRegistry(options)) {
			registry.register(EtcdRegistryTest.service("tls", "1", "tls-1"), Duration.ofSeconds(30));
			assertEquals("tls-1", registry.getService("tls").get(0).nodes().get(0).id());
		}
		assertTrue(ETCD.etcdctl("get", "/micro/registry/tls/tls-1", "--print-value-only").contains("\"tls-1\""));
	}

	@Test
	void withoutAClientCertificateTheServerRefuses() {
		try (EtcdRegistry registry = new EtcdRegistry(
				options(Map.of(EtcdOptions.TLS_CA, ETCD.tlsFile("ca.pem").toString())))) {
			RegistryException e = assertThrows(RegistryException.class, registry::listServices);
			assertTrue(e.getMessage().startsWith("etcd at " + ETCD.endpoint()), e.getMessage());
		}
	}

	@Test
	void plainTextToATlsServerFailsClearly() {
		try (EtcdRegistry registry = new EtcdRegistry(options(Map.of()))) {
			RegistryException e = assertThrows(RegistryException.class, registry::listServices);
			assertTrue(e.getMessage().startsWith("etcd at " + ETCD.endpoint()), e.getMessage());
		}
	}

	@Test
	void anUnreadableKeyFileIsAConfigurationError() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> new EtcdRegistry(options(Map.of(EtcdOptions.TLS_CA, ETCD.tlsFile("ca.pem").toString(),
						EtcdOptions.TLS_CERT, ETCD.tlsFile("client.pem").toString(), EtcdOptions.TLS_KEY,
						ETCD.tlsFile("ca.pem").toString()))));
		assertTrue(e.getMessage().contains("TLS"), e.getMessage());
	}
}
