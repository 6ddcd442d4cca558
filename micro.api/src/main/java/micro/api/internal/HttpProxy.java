package micro.api.internal;

import java.net.ConnectException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import micro.errors.MicroError;

/**
 * The {@code http}/{@code proxy} handler's reverse proxy (gm:api/handler/http): the request, with its full original
 * path and query, goes to the node chosen by the gateway (request attribute {@value #TARGET}), within the request's
 * timeout (attribute {@value #TIMEOUT_MILLIS}). Failures answer error JSON: 504 on timeout, 413 for a body over the
 * limit, 502 otherwise (Go's ReverseProxy answers 502 with an empty body for all of them).
 */
final class HttpProxy extends ProxyHandler {
	static final String TARGET = "micro.api.proxy.target";
	static final String TIMEOUT_MILLIS = "micro.api.proxy.timeoutMillis";
	static final String ERROR_ID = "micro.api.proxy.errorId";

	@Override
	protected HttpURI rewriteHttpURI(Request request) {
		String target = (String) request.getAttribute(TARGET);
		return HttpURI.build(request.getHttpURI()).scheme("http").authority(target);
	}

	@Override
	protected org.eclipse.jetty.client.Request newProxyToServerRequest(Request clientToProxyRequest, HttpURI newHttpURI) {
		org.eclipse.jetty.client.Request r = super.newProxyToServerRequest(clientToProxyRequest, newHttpURI);
		Object timeout = clientToProxyRequest.getAttribute(TIMEOUT_MILLIS);
		if (timeout instanceof Long ms) {
			r.timeout(ms, TimeUnit.MILLISECONDS);
		}
		return r;
	}

	@Override
	protected void onServerToProxyResponseFailure(Request clientToProxyRequest,
			org.eclipse.jetty.client.Request proxyToServerRequest,
			org.eclipse.jetty.client.Response serverToProxyResponse, Response proxyToClientResponse,
			Callback proxyToClientCallback, Throwable failure) {
		if (proxyToClientResponse.isCommitted()) {
			proxyToClientCallback.failed(failure);
			return;
		}
		String id = String.valueOf(clientToProxyRequest.getAttribute(ERROR_ID));
		MicroError error;
		BadMessageException bad = find(failure, BadMessageException.class);
		if (bad != null) {
			error = MicroError.of(id, bad.getCode(), bad.getMessage());
		} else if (find(failure, TimeoutException.class) != null) {
			error = MicroError.of(id, 504, "backend timed out: " + proxyToServerRequest.getURI().getAuthority());
		} else if (find(failure, ConnectException.class) != null) {
			error = MicroError.of(id, 502, "backend unreachable: " + proxyToServerRequest.getURI().getAuthority());
		} else {
			error = MicroError.of(id, 502, "backend failed: " + failure.getMessage());
		}
		Responses.error(proxyToClientResponse, proxyToClientCallback, error);
	}

	static <T extends Throwable> T find(Throwable t, Class<T> type) {
		for (Throwable c = t; c != null; c = c.getCause()) {
			if (type.isInstance(c)) {
				return type.cast(c);
			}
			if (c.getCause() == c) {
				break;
			}
		}
		return null;
	}
}
