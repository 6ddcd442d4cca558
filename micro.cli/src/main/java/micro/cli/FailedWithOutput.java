package micro.cli;

/**
 * A command that printed its result but did not fully succeed (a node that is not healthy): the output goes to
 * stdout, the message to stderr, and the exit code is 1.
 */
public class FailedWithOutput extends CliException {
	private static final long serialVersionUID = 1L;
	private final String output;

	public FailedWithOutput(String output, String message) {
		super(message);
		this.output = output;
	}

	public String output() {
		return output;
	}
}
