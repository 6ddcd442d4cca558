package micro.benchmarks;

/** The smallest Java program: the peer {@link StartupBench} compares a one-shot {@code micro} command against. */
public final class Hello {
	private Hello() {
	}

	public static void main(String[] args) {
		System.out.println("Hello John");
	}
}
