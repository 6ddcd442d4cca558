package micro.cli.format;

/**
 * A duration in nanoseconds written as Go's {@code time.Duration.String()}: {@code 0s}, {@code 1.5µs}, {@code 12ms},
 * {@code 3.25s}, {@code 2m0s}, {@code 1h2m3s}; fractions without trailing zeros.
 */
public final class GoDuration {
	private GoDuration() {
	}

	public static String of(long nanos) {
		if (nanos == 0) {
			return "0s";
		}
		StringBuilder out = new StringBuilder();
		if (nanos < 0) {
			out.append('-');
			nanos = -nanos;
		}
		if (nanos < 1_000_000_000L) {
			if (nanos < 1_000) {
				return out.append(nanos).append("ns").toString();
			}
			if (nanos < 1_000_000) {
				return out.append(decimal(nanos, 1_000)).append("µs").toString();
			}
			return out.append(decimal(nanos, 1_000_000)).append("ms").toString();
		}
		long hours = nanos / 3_600_000_000_000L;
		long minutes = nanos / 60_000_000_000L % 60;
		long rest = nanos % 60_000_000_000L;
		if (hours > 0) {
			out.append(hours).append('h');
		}
		if (hours > 0 || minutes > 0) {
			out.append(minutes).append('m');
		}
		return out.append(decimal(rest, 1_000_000_000L)).append('s').toString();
	}

	/** value / unit with the fraction's trailing zeros dropped. */
	private static String decimal(long value, long unit) {
		long whole = value / unit;
		long fraction = value % unit;
		if (fraction == 0) {
			return String.valueOf(whole);
		}
		String digits = String.valueOf(unit).substring(1);
		String f = String.format("%0" + digits.length() + "d", fraction).replaceAll("0+$", "");
		return whole + "." + f;
	}
}
