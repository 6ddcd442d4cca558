package micro.runtime.internal;

import java.io.IOException;
import java.time.Duration;

import org.osgi.service.component.annotations.Component;

import micro.transport.Listener;
import micro.transport.Socket;
import micro.transport.Transport;
import micro.transport.internal.HttpTransport;

/** The built-in {@code http} transport as an OSGi service ({@code micro.transport=http}). */
@Component(name = "micro.transport.http", service = Transport.class, property = Transport.NAME_PROPERTY + "="
		+ HttpTransport.NAME)
public class HttpTransportComponent implements Transport {
	private final HttpTransport transport = new HttpTransport();

	@Override
	public String name() {
		return transport.name();
	}

	@Override
	public Listener listen(String address) throws IOException {
		return transport.listen(address);
	}

	@Override
	public Socket dial(String address, Duration timeout) throws IOException {
		return transport.dial(address, timeout);
	}

	@Override
	public String toString() {
		return transport.toString();
	}
}
