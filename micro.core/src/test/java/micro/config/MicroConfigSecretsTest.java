package micro.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class MicroConfigSecretsTest {
	@Test
	void secretsAreStoredPrivatelyAndReadUnderTheirPlainNames() {
		Map<String, String> stored = MicroConfig.withPrivateSecrets(
				Map.of("registry", "etcd", "registry_username", "micro", "registry_password", "s3cret"));
		assertEquals(Map.of("registry", "etcd", "registry_username", "micro", ".registry_password", "s3cret"), stored);
		MicroConfig config = MicroConfig.of(stored);
		assertEquals("s3cret", config.get("registry_password"));
		assertEquals("micro", config.get("registry_username"));
	}

	@Test
	void whatCountsAsASecret() {
		assertTrue(MicroConfig.isSecret("registry_password"));
		assertTrue(MicroConfig.isSecret("auth_secret"));
		assertTrue(MicroConfig.isSecret("slack_token"));
		assertFalse(MicroConfig.isSecret("registry_username"));
		assertFalse(MicroConfig.isSecret("registry_address"));
	}
}
