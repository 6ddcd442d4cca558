package {{javaPackage}}.subscriber;

import java.lang.System.Logger.Level;

import org.osgi.service.component.annotations.Component;

import {{javaPackage}}.{{title}}Service;
import {{javaPackage}}.proto.Message;
import micro.server.Context;
import micro.server.HandlerProperties;

/**
 * Receives the messages published on the topic {@value {{title}}Service#NAME}. Every public method of a subscriber
 * subscribes, so this one has one: {@code {{title}}.Handle}.
 */
@Component(service = {{title}}.class, property = {
		HandlerProperties.SERVICE + "=" + {{title}}Service.NAME,
		HandlerProperties.TOPIC + "=" + {{title}}Service.NAME })
public class {{title}} {
	private static final System.Logger LOG = System.getLogger({{title}}.class.getName());

	public void Handle(Context context, Message message) {
		LOG.log(Level.INFO, "Handler Received message: {0}", message.getSay());
	}
}
