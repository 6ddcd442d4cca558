package micro.example.subscriber;

import java.lang.System.Logger.Level;

import org.osgi.service.component.annotations.Component;

import micro.example.ExampleService;
import micro.example.proto.Message;
import micro.server.HandlerProperties;

/**
 * The subscriber of {@code go.micro.srv.example} on the topic of the same name (subscriber/example.go of the Go
 * template): endpoint {@code Example.Handle}, which logs what was said. The last messages are kept in a
 * {@link MessageLog}. Its only public method is the subscriber method, since the server subscribes every public one.
 */
@Component(service = Example.class, property = {
		HandlerProperties.SERVICE + "=" + ExampleService.NAME,
		HandlerProperties.TOPIC + "=" + ExampleService.NAME })
public class Example {
	private static final System.Logger LOG = System.getLogger(Example.class.getName());

	private final MessageLog log;

	public Example() {
		this(new MessageLog());
	}

	public Example(MessageLog log) {
		if (log == null) {
			throw new IllegalArgumentException("a subscriber needs a message log");
		}
		this.log = log;
	}

	public void Handle(Message message) {
		if (message == null) {
			throw new IllegalArgumentException("no message to handle");
		}
		LOG.log(Level.INFO, "Handler Received message: {0}", message.say());
		log.add(message);
	}
}
