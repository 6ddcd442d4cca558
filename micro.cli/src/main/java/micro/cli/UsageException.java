package micro.cli;

/** The command line itself is wrong (unknown command or flag, missing argument): exit code 2, as shells expect. */
public class UsageException extends CliException {
	private static final long serialVersionUID = 1L;

	public UsageException(String message) {
		super(message);
	}
}
