package micro.registry.etcd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import micro.config.MicroConfig;
import micro.registry.RegistryException;

/** Username and password from the configuration, against an etcd with authentication on. */
class EtcdAuthTest {
	@RegisterExtension
	static final EtcdServer ETCD = new EtcdServer();

	@BeforeAll
	static void enableAuth() throws Exception {
		ETCD.etcdctl("user", "add", "root", "--new-user-password=rootpw");
		ETCD.etcdctl("user", "grant-role", "root", "root");
		ETCD.etcdctl("role", "add", "micro");
		ETCD.etcdctl("role", "grant-permission", "micro", "--prefix=true", "readwrite", "/micro/");
		ETCD.etcdctl("user", "add", "bob", "--new-user-password=bobpw");
		ETCD.etcdctl("user", "grant-role", "bob", "micro");
		ETCD.etcdctl("auth", "enable");
	}

	private static EtcdOptions options(String user, String password) {
		Map<String, String> config = new java.util.HashMap<>(Map.of(MicroConfig.REGISTRY_ADDRESS, ETCD.endpoint(),
				EtcdOptions.TIMEOUT, "3s"));
		if (user != null) {
			config.put(EtcdOptions.USERNAME, user);
			config.put(EtcdOptions.PASSWORD, password);
		}
		return EtcdOptions.fromConfig(MicroConfig.of(config));
	}

	@Test
	void theConfiguredUserRegistersAndLooksUp() throws Exception {
		try (EtcdRegistry registry = new EtcdRegistry(options("bob", "bobpw"))) {
			registry.register(EtcdRegistryTest.service("secured", "1", "secured-1"), Duration.ofSeconds(30));
			registry.register(EtcdRegistryTest.service("secured", "1", "secured-1"), Duration.ofSeconds(30));
			assertEquals("secured-1", registry.getService("secured").get(0).nodes().get(0).id());
			assertEquals(1, registry.listServices().size());
		}
	}

	@Test
	void aWrongPasswordIsReportedWithTheUser() {
		try (EtcdRegistry registry = new EtcdRegistry(options("bob", "wrong"))) {
			RegistryException e = assertThrows(RegistryException.class, registry::listServices);
			assertTrue(e.getMessage().startsWith("etcd at " + ETCD.endpoint() + " refused"), e.getMessage());
			assertTrue(e.getMessage().contains("\"bob\""), e.getMessage());
			assertTrue(!e.getMessage().contains("wrong"), "the password is not in the message");
		}
	}

	@Test
	void noCredentialsAreRefused() {
		try (EtcdRegistry registry = new EtcdRegistry(options(null, null))) {
			RegistryException e = assertThrows(RegistryException.class,
					() -> registry.register(EtcdRegistryTest.service("anon", "1", "anon-1"), Duration.ofSeconds(30)));
			assertTrue(e.getMessage().contains("etcd at " + ETCD.endpoint()), e.getMessage());
		}
	}
}
