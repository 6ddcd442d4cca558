package {{javaPackage}}.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import {{javaPackage}}.proto.Request;

class {{title}}Test {
	private final {{title}} handler = new {{title}}();

	@Test
	void callGreets() {
		assertEquals("Hello John", handler.Call(null, Request.newBuilder().setName("John").build()).getMsg());
	}

	@Test
	void theEndpointIsNamedAfterTheProtoService() {
		assertEquals("{{title}}", handler.handlerName());
	}
}
