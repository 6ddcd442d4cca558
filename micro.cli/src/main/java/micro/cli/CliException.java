package micro.cli;

/** A command failed in a way the user can act on: its message is printed on stderr and the exit code is 1. */
public class CliException extends RuntimeException {
	private static final long serialVersionUID = 1L;

	public CliException(String message) {
		super(message, null, false, false);
	}

	public CliException(String message, Throwable cause) {
		super(message, cause, false, false);
	}
}
