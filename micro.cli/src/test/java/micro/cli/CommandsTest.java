package micro.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CommandsTest {
	@Test
	void aRequestMustBeOneJsonObject() {
		assertDoesNotThrow(() -> Commands.requireJsonObject("{\"name\": \"John\"}"));
		assertDoesNotThrow(() -> Commands.requireJsonObject("{}"));
		CliException malformed = assertThrows(CliException.class, () -> Commands.requireJsonObject("{\"name\": John}"));
		assertTrue(malformed.getMessage().startsWith("invalid JSON request: Unrecognized token 'John'"), malformed.getMessage());
		assertTrue(malformed.getMessage().contains("line 1, column"), malformed.getMessage());
		CliException unterminated = assertThrows(CliException.class, () -> Commands.requireJsonObject("{\"name\": \"John\""));
		assertTrue(unterminated.getMessage().startsWith("invalid JSON request: "), unterminated.getMessage());
		CliException array = assertThrows(CliException.class, () -> Commands.requireJsonObject("[1]"));
		assertTrue(array.getMessage().contains("expected an object"), array.getMessage());
		assertThrows(CliException.class, () -> Commands.requireJsonObject("{} {}"));
	}
}
