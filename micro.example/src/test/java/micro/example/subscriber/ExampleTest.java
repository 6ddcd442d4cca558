package micro.example.subscriber;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import micro.example.proto.Message;

class ExampleTest {
	@Test
	void keepsWhatItReceives() {
		MessageLog log = new MessageLog();
		Example subscriber = new Example(log);
		subscriber.Handle(new Message("hi"));
		subscriber.Handle(new Message("there"));
		assertEquals(List.of(new Message("hi"), new Message("there")), log.messages());
		assertEquals(2, log.total());
	}

	@Test
	void keepsOnlyTheLastMessages() {
		MessageLog log = new MessageLog(2);
		Example subscriber = new Example(log);
		for (int i = 0; i < 5; i++) {
			subscriber.Handle(new Message("m" + i));
		}
		assertEquals(List.of(new Message("m3"), new Message("m4")), log.messages());
		assertEquals(5, log.total());
	}

	@Test
	void aMissingMessageIsRejectedAndNotKept() {
		MessageLog log = new MessageLog();
		Example subscriber = new Example(log);
		assertThrows(IllegalArgumentException.class, () -> subscriber.Handle(null));
		assertEquals(0, log.total());
	}

	@Test
	void awaitingReturnsOnceTheCountIsReachedOrTimesOut() throws Exception {
		MessageLog log = new MessageLog();
		assertFalse(log.awaitTotal(1, 20));
		Thread t = new Thread(() -> new Example(log).Handle(new Message("later")));
		t.start();
		assertTrue(log.awaitTotal(1, 5000));
		t.join();
	}

	@Test
	void aLogKeepsAtLeastOneMessage() {
		assertThrows(IllegalArgumentException.class, () -> new MessageLog(0));
	}

	@Test
	void theOnlyPublicMethodIsTheSubscriberMethod() {
		List<String> names = java.util.Arrays.stream(Example.class.getDeclaredMethods())
				.filter(m -> java.lang.reflect.Modifier.isPublic(m.getModifiers())).map(java.lang.reflect.Method::getName)
				.toList();
		assertEquals(List.of("Handle"), names);
	}
}
