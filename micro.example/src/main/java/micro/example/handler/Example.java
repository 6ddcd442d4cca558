package micro.example.handler;

import java.lang.System.Logger.Level;

import org.osgi.service.component.annotations.Component;

import micro.errors.MicroError;
import micro.example.ExampleService;
import micro.example.proto.Ping;
import micro.example.proto.Pong;
import micro.example.proto.Request;
import micro.example.proto.Response;
import micro.example.proto.StreamingRequest;
import micro.example.proto.StreamingResponse;
import micro.server.HandlerProperties;
import micro.server.ServerStream;

/**
 * The handler of {@code go.micro.srv.example} (handler/example.go of the Go template): endpoints
 * {@code Example.Call}, {@code Example.Stream} and {@code Example.PingPong}. The method names are capitalised because
 * every public method is an endpoint named after it, and go-micro clients call them by their Go names.
 * <p>
 * Under OSGi this component is the whole service: the runtime's whiteboard serves it under the name in
 * {@value HandlerProperties#SERVICE}.
 */
@Component(service = Example.class, property = HandlerProperties.SERVICE + "=" + ExampleService.NAME)
public class Example {
	private static final System.Logger LOG = System.getLogger(Example.class.getName());

	public Example() {
	}

	/** Greets: {@code Response{msg: "Hello " + name}}. */
	public Response Call(Request request) {
		String name = request == null || request.name() == null ? "" : request.name();
		LOG.log(Level.INFO, "Received Example.Call request");
		return new Response("Hello " + name);
	}

	/** Sends {@code count} responses numbered 0 to count-1, then ends the stream. */
	public void Stream(StreamingRequest request, ServerStream stream) {
		long count = request == null ? 0 : request.count();
		if (count < 0) {
			throw MicroError.badRequest(ExampleService.NAME, "count must not be negative: " + count);
		}
		LOG.log(Level.INFO, "Received Example.Stream request with count: {0}", count);
		for (long i = 0; i < count; i++) {
			stream.send(new StreamingResponse(i));
		}
	}

	/** Answers every {@code Ping} with a {@code Pong} of the same stroke until the client closes its side. */
	public void PingPong(ServerStream stream) {
		Ping ping;
		while ((ping = stream.recv(Ping.class)) != null) {
			LOG.log(Level.DEBUG, "Got ping {0}", ping.stroke());
			stream.send(new Pong(ping.stroke()));
		}
	}
}
