package micro.cli.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
	@Test
	void fileThenEnvironmentThenFlagsWithTargets() {
		Map<String, String> merged = ServerConfig.merge(
				Map.of("registry", "memory", "register_ttl", "90", "broker_address", "127.0.0.1:1"),
				Map.of("register_ttl", "30", "registry", "mdns", "transport", " "),
				Map.of("registry", "memory", "server_address", "127.0.0.1:0"));
		assertEquals("memory", merged.get("registry"));
		assertEquals("30", merged.get("register_ttl"));
		assertEquals("127.0.0.1:1", merged.get("broker_address"));
		assertEquals("127.0.0.1:0", merged.get("server_address"));
		assertEquals(null, merged.get("transport"), "a blank value does not override");
		assertEquals("(micro.registry=memory)", merged.get("registry.target"));
		assertEquals("(micro.broker=http)", merged.get("broker.target"));
		assertEquals("(micro.transport=http)", merged.get("transport.target"));
	}

	@Test
	void anExplicitTargetIsKeptAndValuesAreEscaped() {
		Map<String, String> merged = ServerConfig.merge(Map.of("registry.target", "(micro.registry=*)"), Map.of(),
				Map.of("broker", "a(b)*"));
		assertEquals("(micro.registry=*)", merged.get("registry.target"));
		assertEquals("(micro.broker=a\\(b\\)\\*)", merged.get("broker.target"));
	}

	@Test
	void flagsSurviveTheTripThroughAFrameworkProperty() {
		Map<String, String> flags = Map.of("server_metadata", "a=1,b=2", "registry_address", "lo", "x", "line\nbreak");
		assertEquals(flags, ServerConfig.decode(ServerConfig.encode(flags)));
		assertEquals(Map.of(), ServerConfig.decode(null));
	}

	@Test
	void theCfgFileIsRead(@TempDir Path dir) throws IOException {
		Path cfg = dir.resolve("micro.cfg");
		Files.writeString(cfg, "# comment\nregistry = mdns\nregister_interval=15\n");
		assertEquals(Map.of("registry", "mdns", "register_interval", "15"), ServerConfig.readFile(cfg));
		assertEquals(Map.of(), ServerConfig.readFile(dir.resolve("none.cfg")));
	}

	@Test
	void frameworkPropertiesSubstituteHomeAndCarryFlags(@TempDir Path home) throws IOException {
		Files.createDirectories(home.resolve("conf"));
		Files.writeString(home.resolve("conf/config.properties"),
				"felix.auto.deploy.dir=${micro.home}/bundle\nfelix.fileinstall.dir=${felix.auto.deploy.dir}/../load\n");
		Map<String, String> p = Container.frameworkProperties(home, Map.of("registry", "memory"), false);
		assertEquals(home + "/bundle", p.get("felix.auto.deploy.dir"));
		assertEquals(home + "/bundle/../load", p.get("felix.fileinstall.dir"));
		assertEquals(home.toString(), p.get(ServerConfig.HOME_PROPERTY));
		assertEquals("--nointeractive", p.get("gosh.args"));
		Properties flags = new Properties();
		flags.load(new java.io.StringReader(p.get(ServerConfig.FLAGS_PROPERTY)));
		assertEquals("memory", flags.getProperty("registry"));
	}

	@Test
	void startLevelsByNameOrConfiguration() {
		Map<String, String> properties = Map.of("micro.startlevel.micro.cli", "2", "micro.startlevel.org.apache.felix.gogo.shell", "4");
		assertEquals(1, Container.startLevel("org.apache.felix.scr", properties));
		assertEquals(2, Container.startLevel("micro.cli", properties));
		assertEquals(3, Container.startLevel("micro.core", properties));
		assertEquals(3, Container.startLevel("micro.example", properties));
		assertEquals(4, Container.startLevel("org.apache.felix.gogo.shell", properties));
	}
}
