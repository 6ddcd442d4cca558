package micro.registry;

/** The registry could not be reached or refused the operation. */
public class RegistryException extends Exception {
	private static final long serialVersionUID = 1L;

	public RegistryException(String message) {
		super(message);
	}

	public RegistryException(String message, Throwable cause) {
		super(message, cause);
	}
}
