package micro.example;

/** Names shared by the handler, the subscriber and the launcher. */
public final class ExampleService {
	/** The service name, which is also the subscriber's topic (as {@code micro new} generates it). */
	public static final String NAME = "go.micro.srv.example";

	private ExampleService() {
	}
}
