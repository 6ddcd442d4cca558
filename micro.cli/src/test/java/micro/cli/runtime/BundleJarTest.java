package micro.cli.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import micro.errors.MicroError;

class BundleJarTest {
	private static Path jar(Path file, String symbolicName) throws IOException {
		Manifest m = new Manifest();
		m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		if (symbolicName != null) {
			m.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
		}
		Files.createDirectories(file.getParent());
		try (OutputStream out = Files.newOutputStream(file); JarOutputStream j = new JarOutputStream(out, m)) {
			// a manifest is all a bundle needs here
		}
		return file;
	}

	@Test
	void aJarAFolderWithTargetOrAFolderWithTheJar(@TempDir Path dir) throws IOException {
		Path direct = jar(dir.resolve("a/service.jar"), "com.example.service;singleton:=true");
		assertEquals(direct, BundleRunner.bundleJar(direct.toString()));
		assertEquals("com.example.service", BundleRunner.readSymbolicName(direct));

		Path project = dir.resolve("project");
		Path built = jar(project.resolve("target/project-1.0.jar"), "com.example.project");
		jar(project.resolve("target/project-1.0-sources.jar"), "com.example.project.source");
		jar(project.resolve("target/plain.jar"), null);
		assertEquals(built, BundleRunner.bundleJar(project.toString()));

		assertEquals(direct, BundleRunner.bundleJar(dir.resolve("a").toString()));
	}

	@Test
	void badPathsAreRefusedClearly(@TempDir Path dir) throws IOException {
		MicroError relative = assertThrows(MicroError.class, () -> BundleRunner.bundleJar("target/x.jar"));
		assertEquals(400, relative.code());
		assertTrue(relative.detail().contains("absolute"), relative.detail());
		MicroError missing = assertThrows(MicroError.class, () -> BundleRunner.bundleJar(dir.resolve("nothing").toString()));
		assertTrue(missing.detail().startsWith("no such file or folder"), missing.detail());
		MicroError empty = assertThrows(MicroError.class, () -> BundleRunner.bundleJar(dir.toString()));
		assertTrue(empty.detail().startsWith("no bundle jar in"), empty.detail());
		jar(dir.resolve("one.jar"), "one");
		jar(dir.resolve("two.jar"), "two");
		MicroError two = assertThrows(MicroError.class, () -> BundleRunner.bundleJar(dir.toString()));
		assertTrue(two.detail().startsWith("more than one bundle jar"), two.detail());
		Path text = Files.writeString(dir.resolve("notes.txt"), "not a jar");
		assertNull(BundleRunner.readSymbolicName(text));
	}
}
