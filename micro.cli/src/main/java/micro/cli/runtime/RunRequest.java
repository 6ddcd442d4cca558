package micro.cli.runtime;

/** {@code Runtime.Run}: the absolute path of a bundle jar, or of a folder with {@code target/*.jar} or a bundle jar. */
public record RunRequest(String path) {
}
