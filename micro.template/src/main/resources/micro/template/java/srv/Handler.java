package {{javaPackage}}.handler;

import java.lang.System.Logger.Level;

import org.osgi.service.component.annotations.Component;

import {{javaPackage}}.{{title}}Service;
import {{javaPackage}}.proto.{{title}}Handler;
import {{javaPackage}}.proto.Ping;
import {{javaPackage}}.proto.Pong;
import {{javaPackage}}.proto.Request;
import {{javaPackage}}.proto.Response;
import {{javaPackage}}.proto.StreamingRequest;
import {{javaPackage}}.proto.StreamingResponse;
import micro.errors.MicroError;
import micro.server.Context;
import micro.server.HandlerProperties;
import micro.server.ServerStream;

/**
 * The handler of {@value {{title}}Service#NAME}: the endpoints {@code {{title}}.Call}, {@code {{title}}.Stream} and
 * {@code {{title}}.PingPong} of {@code {{alias}}.proto}. The micro server serves this component under the name in
 * {@value HandlerProperties#SERVICE}.
 */
@Component(service = {{title}}Handler.class, property = {
		HandlerProperties.SERVICE + "=" + {{title}}Service.NAME,
		HandlerProperties.VERSION + "=latest" })
public class {{title}} implements {{title}}Handler {
	private static final System.Logger LOG = System.getLogger({{title}}.class.getName());

	@Override
	public Response Call(Context context, Request request) {
		LOG.log(Level.INFO, "Received {{title}}.Call request");
		return Response.newBuilder().setMsg("Hello " + request.getName()).build();
	}

	@Override
	public void Stream(Context context, StreamingRequest request, ServerStream stream) {
		if (request.getCount() < 0) {
			throw MicroError.badRequest({{title}}Service.NAME, "count must not be negative: " + request.getCount());
		}
		LOG.log(Level.INFO, "Received {{title}}.Stream request with count: {0}", request.getCount());
		for (long i = 0; i < request.getCount(); i++) {
			stream.send(StreamingResponse.newBuilder().setCount(i).build());
		}
	}

	@Override
	public void PingPong(Context context, ServerStream stream) {
		for (Ping ping; (ping = stream.recv(Ping.class)) != null;) {
			LOG.log(Level.DEBUG, "Got ping {0}", ping.getStroke());
			stream.send(Pong.newBuilder().setStroke(ping.getStroke()).build());
		}
	}
}
