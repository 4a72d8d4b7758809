package io.kallisto.scenario;

/**
 * A scenario that cannot be used: unreadable, not JSON, or a value that breaks the schema. The
 * message is one line, meant to be shown as it is, without a stack trace:
 *
 * <pre>
 * my.json: $.workload.loop: "half-open" is not a loop mode; allowed: "open", "closed"
 * </pre>
 *
 * <p>that is {@code <source>: <where>: <what is wrong>; allowed: <what would be right>}, where
 * {@code <where>} is {@link #path()} and is left out when empty.
 */
public final class ScenarioException extends RuntimeException {
  private final String source;
  private final String path;

  /**
   * @param source names the input: a file path, a bundled scenario's file name, or what the user
   *     typed
   * @param path where in the input: a JSON path such as {@code $.workload.mix[1].kind};
   *     {@code line:column} for text that is not valid JSON; empty when the problem is not inside
   *     the document (an unreadable file, an unknown bundled name)
   * @param problem what is wrong, usually followed by {@code "; allowed: "} and what would be
   *     right; one line
   */
  public ScenarioException(String source, String path, String problem) {
    super(source + (path.isEmpty() ? "" : ": " + path) + ": " + problem, null, false, false);
    this.source = source;
    this.path = path;
  }

  /** The input's name, as given to the parser. */
  public String source() {
    return source;
  }

  /**
   * Where in the input the problem is: a JSON path starting with {@code $}, {@code line:column}
   * for invalid JSON, or empty.
   */
  public String path() {
    return path;
  }
}
