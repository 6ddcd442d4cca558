package micro.interop;

import micro.errors.MicroError;
import micro.server.ServerStream;

/**
 * The Java side's test handler, shaped as go-micro's example service: endpoints {@code Example.Call} and
 * {@code Example.Stream}, with records named as the Go example's messages so the registry value trees match.
 */
public class Example {
	static final String SERVICE = "go.micro.srv.example";

	public record Request(String name) {
	}

	public record Response(String msg) {
	}

	public record StreamingRequest(long count) {
	}

	public record StreamingResponse(long count) {
	}

	/** "Hello <name>"; an empty name is a 400 so callers can check that errors keep their code. */
	public Response call(Request request) {
		if (request.name() == null || request.name().isEmpty()) {
			throw MicroError.badRequest(SERVICE, "name is required");
		}
		return new Response("Hello " + request.name());
	}

	/** Sends counts 0..count-1 and ends the stream, as go-micro's example does. */
	public void stream(StreamingRequest request, ServerStream stream) {
		if (request.count() < 0) {
			throw MicroError.badRequest(SERVICE, "count must not be negative");
		}
		for (long i = 0; i < request.count(); i++) {
			stream.send(new StreamingResponse(i));
		}
	}
}
