package micro.registry.mdns.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A DNS message as mDNS uses it (RFC 1035 wire format, RFC 6762 bits), reduced to the record types go-micro's mDNS
 * registry exchanges: PTR, SRV, TXT, A and AAAA. Other record types are skipped when decoding.
 *
 * <p>
 * We encode and decode the messages ourselves instead of through jmdns: jmdns 3.6.5's high-level API only takes
 * DNS-SD types of the form {@code _app._proto.domain.}, which go-micro's {@code <service>.micro.} names are not, and its
 * message classes live in {@code javax.jmdns.impl}, which the jmdns bundle does not export and whose accessors for
 * TXT data, SRV targets and addresses are package-private. See README.md.
 */
record DnsMessage(int id, int flags, List<Question> questions, List<ResourceRecord> answers,
		List<ResourceRecord> authorities, List<ResourceRecord> additionals) {

	static final int TYPE_A = 1;
	static final int TYPE_PTR = 12;
	static final int TYPE_TXT = 16;
	static final int TYPE_AAAA = 28;
	static final int TYPE_SRV = 33;
	static final int TYPE_ANY = 255;
	static final int CLASS_IN = 1;

	/** Flags of a response: QR and AA (RFC 6762 §18). */
	static final int FLAGS_RESPONSE = 0x8400;
	private static final int FLAG_QR = 0x8000;
	/** In a question's class: the querier asks for a unicast response (RFC 6762 §5.4). */
	private static final int UNICAST_RESPONSE_BIT = 0x8000;

	private static final int MAX_NAME_LENGTH = 255;
	private static final int MAX_LABEL_LENGTH = 63;

	DnsMessage {
		questions = List.copyOf(questions);
		answers = List.copyOf(answers);
		authorities = List.copyOf(authorities);
		additionals = List.copyOf(additionals);
	}

	static DnsMessage query(int id, List<Question> questions) {
		return new DnsMessage(id, 0, questions, List.of(), List.of(), List.of());
	}

	static DnsMessage response(int id, List<ResourceRecord> answers) {
		return new DnsMessage(id, FLAGS_RESPONSE, List.of(), answers, List.of(), List.of());
	}

	/** A response that repeats the question, as go-micro's responder does and its client requires. */
	static DnsMessage response(int id, Question question, List<ResourceRecord> answers) {
		return new DnsMessage(id, FLAGS_RESPONSE, List.of(question), answers, List.of(), List.of());
	}

	boolean isResponse() {
		return (flags & FLAG_QR) != 0;
	}

	int opcode() {
		return (flags >> 11) & 0xF;
	}

	int rcode() {
		return flags & 0xF;
	}

	/** Answers then additionals: where go-micro's client looks for records. */
	List<ResourceRecord> answersAndAdditionals() {
		List<ResourceRecord> all = new ArrayList<>(answers.size() + additionals.size());
		all.addAll(answers);
		all.addAll(additionals);
		return all;
	}

	/** A question; {@code unicastResponse} is the QU bit of its class. */
	record Question(String name, int type, boolean unicastResponse) {
	}

	/**
	 * A resource record of class IN. Only the fields of its type are set: {@code target} for PTR and SRV, {@code priority},
	 * {@code weight}, {@code port} for SRV, {@code texts} for TXT, {@code address} for A and AAAA.
	 */
	record ResourceRecord(String name, int type, long ttl, String target, int priority, int weight, int port,
			List<String> texts, InetAddress address) {

		ResourceRecord {
			texts = texts == null ? List.of() : List.copyOf(texts);
		}

		static ResourceRecord ptr(String name, long ttl, String target) {
			return new ResourceRecord(name, TYPE_PTR, ttl, target, 0, 0, 0, null, null);
		}

		static ResourceRecord srv(String name, long ttl, int priority, int weight, int port, String target) {
			return new ResourceRecord(name, TYPE_SRV, ttl, target, priority, weight, port, null, null);
		}

		static ResourceRecord txt(String name, long ttl, List<String> texts) {
			return new ResourceRecord(name, TYPE_TXT, ttl, null, 0, 0, 0, texts, null);
		}

		static ResourceRecord address(String name, long ttl, InetAddress address) {
			int type = address.getAddress().length == 4 ? TYPE_A : TYPE_AAAA;
			return new ResourceRecord(name, type, ttl, null, 0, 0, 0, null, address);
		}
	}

	/** The message could not be decoded. */
	static final class MalformedMessageException extends Exception {
		private static final long serialVersionUID = 1L;

		MalformedMessageException(String message) {
			super(message);
		}
	}

	// ---- encoding ----

	/** Encodes with name compression; throws IllegalArgumentException for a name DNS cannot carry. */
	byte[] encode() {
		Writer w = new Writer();
		w.u16(id);
		w.u16(flags);
		w.u16(questions.size());
		w.u16(answers.size());
		w.u16(authorities.size());
		w.u16(additionals.size());
		for (Question q : questions) {
			w.name(q.name());
			w.u16(q.type());
			w.u16(CLASS_IN | (q.unicastResponse() ? UNICAST_RESPONSE_BIT : 0));
		}
		for (List<ResourceRecord> section : List.of(answers, authorities, additionals)) {
			for (ResourceRecord r : section) {
				w.record(r);
			}
		}
		return w.toByteArray();
	}

	/** Checks that a name fits DNS's limits (labels of at most 63 bytes, 255 bytes in all). */
	static void checkName(String name) {
		labels(name);
	}

	private static List<String> labels(String name) {
		String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
		if (n.isEmpty()) {
			return List.of();
		}
		List<String> labels = Arrays.asList(n.split("\\.", -1));
		int total = 1;
		for (String label : labels) {
			int length = label.getBytes(StandardCharsets.UTF_8).length;
			if (length == 0) {
				throw new IllegalArgumentException("empty label in DNS name \"" + name + "\"");
			}
			if (length > MAX_LABEL_LENGTH) {
				throw new IllegalArgumentException("label \"" + label + "\" of DNS name \"" + name
						+ "\" is longer than 63 bytes");
			}
			total += length + 1;
		}
		if (total > MAX_NAME_LENGTH) {
			throw new IllegalArgumentException("DNS name \"" + name + "\" is longer than 255 bytes");
		}
		return labels;
	}

	private static final class Writer {
		byte[] buffer = new byte[512];
		int size;
		/** Offsets of the name suffixes written so far, for compression pointers (RFC 1035 §4.1.4). */
		final Map<String, Integer> suffixes = new HashMap<>();

		byte[] toByteArray() {
			return Arrays.copyOf(buffer, size);
		}

		void bytes(byte[] b) {
			if (size + b.length > buffer.length) {
				buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + b.length));
			}
			System.arraycopy(b, 0, buffer, size, b.length);
			size += b.length;
		}

		void u8(int v) {
			bytes(new byte[] { (byte) v });
		}

		void u16(int v) {
			bytes(new byte[] { (byte) (v >> 8), (byte) v });
		}

		void u32(long v) {
			u16((int) (v >> 16));
			u16((int) v);
		}

		void name(String name) {
			name(name, true);
		}

		/** Writes a name; {@code compress} false for SRV targets, which RFC 2782 says must not be compressed. */
		void name(String name, boolean compress) {
			List<String> labels = labels(name);
			for (int i = 0; i < labels.size(); i++) {
				String suffix = String.join(".", labels.subList(i, labels.size())).toLowerCase(Locale.ROOT);
				Integer offset = suffixes.get(suffix);
				if (offset != null && compress) {
					u16(0xC000 | offset);
					return;
				}
				if (size < 0x3FFF) {
					suffixes.putIfAbsent(suffix, size);
				}
				byte[] label = labels.get(i).getBytes(StandardCharsets.UTF_8);
				u8(label.length);
				bytes(label);
			}
			u8(0);
		}

		void record(ResourceRecord r) {
			name(r.name());
			u16(r.type());
			u16(CLASS_IN);
			u32(r.ttl());
			int lengthAt = size;
			u16(0);
			int start = size;
			switch (r.type()) {
			case TYPE_PTR -> name(r.target());
			case TYPE_SRV -> {
				u16(r.priority());
				u16(r.weight());
				u16(r.port());
				name(r.target(), false);
			}
			case TYPE_TXT -> {
				for (String text : r.texts()) {
					byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
					if (b.length > 255) {
						throw new IllegalArgumentException("TXT string longer than 255 bytes");
					}
					u8(b.length);
					bytes(b);
				}
			}
			case TYPE_A, TYPE_AAAA -> bytes(r.address().getAddress());
			default -> throw new IllegalArgumentException("cannot encode record type " + r.type());
			}
			int length = size - start;
			buffer[lengthAt] = (byte) (length >> 8);
			buffer[lengthAt + 1] = (byte) length;
		}
	}

	// ---- decoding ----

	static DnsMessage decode(byte[] data, int length) throws MalformedMessageException {
		Reader r = new Reader(data, length);
		int id = r.u16();
		int flags = r.u16();
		int qd = r.u16();
		int an = r.u16();
		int ns = r.u16();
		int ar = r.u16();
		List<Question> questions = new ArrayList<>(Math.min(qd, 64));
		for (int i = 0; i < qd; i++) {
			String name = r.name();
			int type = r.u16();
			int cls = r.u16();
			questions.add(new Question(name, type, (cls & UNICAST_RESPONSE_BIT) != 0));
		}
		List<ResourceRecord> answers = r.records(an);
		List<ResourceRecord> authorities = r.records(ns);
		List<ResourceRecord> additionals = r.records(ar);
		return new DnsMessage(id, flags, questions, answers, authorities, additionals);
	}

	private static final class Reader {
		final byte[] data;
		final int length;
		int pos;

		Reader(byte[] data, int length) {
			this.data = data;
			this.length = length;
		}

		void need(int n) throws MalformedMessageException {
			if (pos + n > length) {
				throw new MalformedMessageException("message truncated at byte " + pos);
			}
		}

		int u8() throws MalformedMessageException {
			need(1);
			return data[pos++] & 0xFF;
		}

		int u16() throws MalformedMessageException {
			need(2);
			int v = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
			pos += 2;
			return v;
		}

		long u32() throws MalformedMessageException {
			return ((long) u16() << 16) | u16();
		}

		/** Reads a possibly compressed name; pointers must point backwards, so a loop cannot occur. */
		String name() throws MalformedMessageException {
			StringBuilder name = new StringBuilder();
			int at = pos;
			int resumeAt = -1;
			int limit = at;
			while (true) {
				if (at >= length) {
					throw new MalformedMessageException("name runs past the message");
				}
				int len = data[at] & 0xFF;
				if ((len & 0xC0) == 0xC0) {
					if (at + 1 >= length) {
						throw new MalformedMessageException("truncated compression pointer");
					}
					int target = ((len & 0x3F) << 8) | (data[at + 1] & 0xFF);
					if (target >= limit) {
						throw new MalformedMessageException("compression pointer does not point backwards");
					}
					if (resumeAt < 0) {
						resumeAt = at + 2;
					}
					limit = target;
					at = target;
				} else if ((len & 0xC0) != 0) {
					throw new MalformedMessageException("unsupported label type");
				} else if (len == 0) {
					at++;
					break;
				} else {
					if (at + 1 + len > length) {
						throw new MalformedMessageException("label runs past the message");
					}
					name.append(new String(data, at + 1, len, StandardCharsets.UTF_8)).append('.');
					if (name.length() > 4 * MAX_NAME_LENGTH) {
						throw new MalformedMessageException("name too long");
					}
					at += 1 + len;
				}
			}
			pos = resumeAt >= 0 ? resumeAt : at;
			return name.length() == 0 ? "." : name.toString();
		}

		List<ResourceRecord> records(int count) throws MalformedMessageException {
			List<ResourceRecord> records = new ArrayList<>(Math.min(count, 64));
			for (int i = 0; i < count; i++) {
				ResourceRecord record = record();
				if (record != null) {
					records.add(record);
				}
			}
			return records;
		}

		/** One record, or null for a type or class we do not use. */
		ResourceRecord record() throws MalformedMessageException {
			String name = name();
			int type = u16();
			int cls = u16() & 0x7FFF; // without the cache-flush bit
			long ttl = u32();
			int rdLength = u16();
			need(rdLength);
			int end = pos + rdLength;
			ResourceRecord record = null;
			if (cls == CLASS_IN) {
				record = switch (type) {
				case TYPE_PTR -> ResourceRecord.ptr(name, ttl, name());
				case TYPE_SRV -> {
					int priority = u16();
					int weight = u16();
					int port = u16();
					yield ResourceRecord.srv(name, ttl, priority, weight, port, name());
				}
				case TYPE_TXT -> {
					List<String> texts = new ArrayList<>();
					while (pos < end) {
						int len = u8();
						if (pos + len > end) {
							throw new MalformedMessageException("TXT string runs past its record");
						}
						texts.add(new String(data, pos, len, StandardCharsets.ISO_8859_1));
						pos += len;
					}
					yield ResourceRecord.txt(name, ttl, texts);
				}
				case TYPE_A, TYPE_AAAA -> {
					int size = type == TYPE_A ? 4 : 16;
					if (rdLength != size) {
						throw new MalformedMessageException("address record of " + rdLength + " bytes");
					}
					try {
						yield ResourceRecord.address(name, ttl,
								InetAddress.getByAddress(Arrays.copyOfRange(data, pos, pos + size)));
					} catch (UnknownHostException e) {
						throw new MalformedMessageException("bad address");
					}
				}
				default -> null;
				};
			}
			if (record != null && pos > end) {
				throw new MalformedMessageException("record data runs past its length");
			}
			pos = end;
			return record;
		}
	}
}
