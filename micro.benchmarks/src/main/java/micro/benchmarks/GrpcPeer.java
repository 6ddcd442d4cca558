package micro.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import micro.benchmarks.proto.BenchGrpc;
import micro.benchmarks.proto.Payload;

/**
 * The peer to compare against: a grpc-java server and client over grpc-netty-shaded, plaintext on 127.0.0.1, with
 * default settings, calling {@code micro.bench.Bench/Echo} with a blocking stub (the calling model of our client).
 * With {@code directExecutor} the server runs the handler on Netty's event loop instead of handing it to its default
 * thread pool, grpc's fastest setting for a handler that never blocks.
 */
final class GrpcPeer implements RpcBench.Peer {
	private final Server server;
	private final ManagedChannel channel;
	private final BenchGrpc.BenchBlockingStub stub;

	private final boolean directExecutor;

	GrpcPeer() throws IOException {
		this(false);
	}

	GrpcPeer(boolean directExecutor) throws IOException {
		this.directExecutor = directExecutor;
		NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
		if (directExecutor) {
			builder.directExecutor();
		}
		server = builder.addService(new BenchGrpc.BenchImplBase() {
					@Override
					public void echo(Payload request, StreamObserver<Payload> response) {
						response.onNext(request);
						response.onCompleted();
					}
				}).build().start();
		channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
		stub = BenchGrpc.newBlockingStub(channel);
	}

	@Override
	public String name() {
		return directExecutor ? "grpc-java (directExecutor)" : "grpc-java";
	}

	@Override
	public Payload echo(Payload payload) {
		return stub.withDeadlineAfter(5, TimeUnit.SECONDS).echo(payload);
	}

	@Override
	public void close() throws InterruptedException {
		channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
	}
}
