package micro.registry.mdns.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.jmdns.impl.DNSIncoming;
import javax.jmdns.impl.DNSOutgoing;
import javax.jmdns.impl.DNSQuestion;
import javax.jmdns.impl.DNSRecord;
import javax.jmdns.impl.constants.DNSConstants;
import javax.jmdns.impl.constants.DNSRecordClass;
import javax.jmdns.impl.constants.DNSRecordType;

import org.junit.jupiter.api.Test;

import micro.registry.mdns.internal.DnsMessage.Question;
import micro.registry.mdns.internal.DnsMessage.ResourceRecord;

/** Our DNS codec, checked against jmdns's independent encoder and decoder. */
class DnsMessageTest {
	static final String SERVICE = "go.micro.srv.example.micro.";
	static final String INSTANCE = "go.micro.srv.example-2c5f1e4a-9c1d-4b7e-8a63-1f0e2d3c4b5a." + SERVICE;

	static DnsMessage nodeResponse() throws Exception {
		return DnsMessage.response(0, List.of(ResourceRecord.ptr(SERVICE, 120, INSTANCE),
				ResourceRecord.srv(INSTANCE, 120, 10, 1, 54321, "vm."),
				ResourceRecord.address("vm.", 120, InetAddress.getByName("127.0.0.1")),
				ResourceRecord.txt(INSTANCE, 120, List.of("78da" + "ab".repeat(125), "cd01"))));
	}

	@Test
	void roundTripWithCompression() throws Exception {
		DnsMessage message = nodeResponse();
		byte[] bytes = message.encode();
		DnsMessage back = DnsMessage.decode(bytes, bytes.length);
		assertEquals(message, back);
		assertTrue(back.isResponse());
		// The instance name is written once, then pointed to.
		assertTrue(bytes.length < 2 * INSTANCE.length() + 300, "compressed size " + bytes.length);
	}

	@Test
	void jmdnsDecodesOurResponse() throws Exception {
		byte[] bytes = nodeResponse().encode();
		DNSIncoming in = new DNSIncoming(new DatagramPacket(bytes, bytes.length));
		assertTrue(in.isResponse());
		assertTrue(in.isAuthoritativeAnswer());
		List<DNSRecord> answers = in.getAllAnswers();
		assertEquals(4, answers.size());

		DNSRecord.Pointer ptr = (DNSRecord.Pointer) answers.get(0);
		assertEquals(DNSRecordType.TYPE_PTR, ptr.getRecordType());
		assertEquals(SERVICE, ptr.getName());
		assertEquals(INSTANCE, ptr.getAlias());
		assertEquals(120, ptr.getTTL());

		DNSRecord.Service srv = (DNSRecord.Service) answers.get(1);
		assertEquals(INSTANCE, srv.getName());
		assertEquals(10, srv.getPriority());
		assertEquals(1, srv.getWeight());
		assertEquals(54321, srv.getPort());
		assertEquals("vm.", call(srv, "getServer"));

		DNSRecord a = answers.get(2);
		assertEquals(DNSRecordType.TYPE_A, a.getRecordType());
		assertEquals(InetAddress.getByName("127.0.0.1"), call(a, "getAddress"));

		DNSRecord txt = answers.get(3);
		assertEquals(DNSRecordType.TYPE_TXT, txt.getRecordType());
		byte[] expected = txtRdata("78da" + "ab".repeat(125), "cd01");
		assertArrayEquals(expected, (byte[]) call(txt, "getText"));
	}

	@Test
	void jmdnsDecodesOurQuery() throws Exception {
		byte[] bytes = DnsMessage.query(7, List.of(new Question("_services.micro.", DnsMessage.TYPE_PTR, false)))
				.encode();
		DNSIncoming in = new DNSIncoming(new DatagramPacket(bytes, bytes.length));
		assertTrue(in.isQuery());
		DNSQuestion q = in.getQuestions().iterator().next();
		assertEquals("_services.micro.", q.getName());
		assertEquals(DNSRecordType.TYPE_PTR, q.getRecordType());
		assertFalse(q.isUnique(), "no unicast-response bit");
	}

	@Test
	void weDecodeJmdnsOutput() throws Exception {
		DNSOutgoing out = new DNSOutgoing(DNSConstants.FLAGS_QR_RESPONSE | DNSConstants.FLAGS_AA, true);
		out.addAnswer(new DNSRecord.Pointer(SERVICE, DNSRecordClass.CLASS_IN, false, 120, INSTANCE), 0);
		out.addAnswer(new DNSRecord.Service(INSTANCE, DNSRecordClass.CLASS_IN, true, 120, 10, 1, 8080, "host.micro."), 0);
		out.addAnswer(new DNSRecord.Text(INSTANCE, DNSRecordClass.CLASS_IN, true, 0, txtRdata("abc", "def")), 0);
		byte[] bytes = out.data();

		DnsMessage message = DnsMessage.decode(bytes, bytes.length);
		assertTrue(message.isResponse());
		List<ResourceRecord> answers = message.answers();
		// jmdns writes the remaining TTL, which may have ticked down a second.
		assertEquals(ResourceRecord.ptr(SERVICE, answers.get(0).ttl(), INSTANCE), answers.get(0));
		assertTrue(answers.get(0).ttl() >= 119);
		assertEquals(ResourceRecord.srv(INSTANCE, answers.get(1).ttl(), 10, 1, 8080, "host.micro."), answers.get(1));
		assertEquals(ResourceRecord.txt(INSTANCE, 0, List.of("abc", "def")), answers.get(2));
	}

	@Test
	void questionBitsAndUnknownTypesAreHandled() throws Exception {
		DNSOutgoing out = new DNSOutgoing(DNSConstants.FLAGS_QR_QUERY, true);
		out.addQuestion(DNSQuestion.newQuestion(SERVICE, DNSRecordType.TYPE_PTR, DNSRecordClass.CLASS_IN, false));
		out.addQuestion(DNSQuestion.newQuestion(SERVICE, DNSRecordType.TYPE_HINFO, DNSRecordClass.CLASS_IN, false));
		byte[] bytes = out.data();
		DnsMessage message = DnsMessage.decode(bytes, bytes.length);
		assertFalse(message.isResponse());
		assertEquals(new Question(SERVICE, DnsMessage.TYPE_PTR, false), message.questions().get(0));
		assertEquals(DNSRecordType.TYPE_HINFO.indexValue(), message.questions().get(1).type());

		// The QU bit is the top bit of the question's class.
		byte[] qu = DnsMessage.query(1, List.of(new Question("a.micro.", DnsMessage.TYPE_ANY, true))).encode();
		assertEquals((byte) 0x80, qu[qu.length - 2]);
		assertEquals((byte) 0x01, qu[qu.length - 1]);
		assertEquals(new Question("a.micro.", DnsMessage.TYPE_ANY, true), DnsMessage.decode(qu, qu.length).questions().get(0));
	}

	@Test
	void malformedMessagesAreRejected() throws Exception {
		byte[] good = nodeResponse().encode();
		for (int cut : new int[] { 5, 12, 40, good.length - 1 }) {
			assertThrows(DnsMessage.MalformedMessageException.class, () -> DnsMessage.decode(good, cut),
					"cut at " + cut);
		}
		// A compression pointer to itself.
		byte[] loop = { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xC0, 12, 0, 12, 0, 1 };
		assertThrows(DnsMessage.MalformedMessageException.class, () -> DnsMessage.decode(loop, loop.length));
		// An A record of 3 bytes.
		ByteArrayOutputStream bad = new ByteArrayOutputStream();
		bad.writeBytes(new byte[] { 0, 0, (byte) 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0 });
		bad.writeBytes(new byte[] { 1, 'a', 0, 0, 1, 0, 1, 0, 0, 0, 10, 0, 3, 1, 2, 3 });
		byte[] badA = bad.toByteArray();
		assertThrows(DnsMessage.MalformedMessageException.class, () -> DnsMessage.decode(badA, badA.length));
	}

	@Test
	void namesBeyondDnsLimitsAreRefused() {
		assertThrows(IllegalArgumentException.class, () -> DnsMessage.checkName("x".repeat(64) + ".micro."));
		assertThrows(IllegalArgumentException.class, () -> DnsMessage.checkName("a..micro."));
		assertThrows(IllegalArgumentException.class, () -> DnsMessage.checkName("abcdefgh.".repeat(30)));
		DnsMessage.checkName("x".repeat(63) + ".micro.");
	}

	static byte[] txtRdata(String... strings) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (String s : strings) {
			byte[] b = s.getBytes(StandardCharsets.US_ASCII);
			out.write(b.length);
			out.writeBytes(b);
		}
		return out.toByteArray();
	}

	/** jmdns keeps these accessors package-private; reading them is fine for a test. */
	static Object call(Object target, String method) throws Exception {
		Class<?> type = target.getClass();
		while (type != null) {
			try {
				Method m = type.getDeclaredMethod(method);
				m.setAccessible(true);
				return m.invoke(target);
			} catch (NoSuchMethodException e) {
				type = type.getSuperclass();
			}
		}
		throw new NoSuchMethodException(method);
	}
}
