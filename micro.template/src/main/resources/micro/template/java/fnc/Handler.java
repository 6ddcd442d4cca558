package {{javaPackage}}.handler;

import java.lang.System.Logger.Level;

import org.osgi.service.component.annotations.Component;

import {{javaPackage}}.{{title}}Service;
import {{javaPackage}}.proto.{{title}}Handler;
import {{javaPackage}}.proto.Request;
import {{javaPackage}}.proto.Response;
import micro.server.Context;
import micro.server.HandlerProperties;

/**
 * The function {@value {{title}}Service#NAME}: the endpoint {@code {{title}}.Call} of {@code {{alias}}.proto}. The micro
 * server serves this component under the name in {@value HandlerProperties#SERVICE}.
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
}
