package micro.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The DS descriptions bnd generates are the bundle's whole contract with the runtime's whiteboard: the service
 * properties that make the handler and the subscriber be served.
 */
class ComponentDescriptionsTest {
	private static Document description(String component) throws Exception {
		try (InputStream in = ComponentDescriptionsTest.class.getResourceAsStream("/OSGI-INF/" + component + ".xml")) {
			assertNotNull(in, "no DS description for " + component);
			return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
		}
	}

	private static Map<String, String> properties(Document d) {
		Map<String, String> out = new LinkedHashMap<>();
		NodeList list = d.getElementsByTagName("property");
		for (int i = 0; i < list.getLength(); i++) {
			Element e = (Element) list.item(i);
			out.put(e.getAttribute("name"), e.getAttribute("value"));
		}
		return out;
	}

	private static String provided(Document d) {
		return ((Element) d.getElementsByTagName("provide").item(0)).getAttribute("interface");
	}

	@Test
	void theHandlerIsServedUnderTheServiceName() throws Exception {
		Document d = description("micro.example.handler.Example");
		assertEquals(Map.of("micro.service", "go.micro.srv.example"), properties(d));
		assertEquals("micro.example.handler.Example", provided(d));
	}

	@Test
	void theSubscriberListensOnTheTopicOfTheServiceName() throws Exception {
		Document d = description("micro.example.subscriber.Example");
		assertEquals(Map.of("micro.service", "go.micro.srv.example", "micro.topic", "go.micro.srv.example"),
				properties(d));
		assertEquals("micro.example.subscriber.Example", provided(d));
	}
}
