package io.kallisto.cli;

/**
 * How a module adds subcommands to {@code kallisto} without the engine depending on it: list
 * the implementation in {@code META-INF/services/io.kallisto.cli.CommandProvider}, and
 * {@link KallistoCli} finds it with {@link java.util.ServiceLoader}.
 *
 * <pre>{@code
 * public final class ViewCommandProvider implements CommandProvider {
 *   public Object command() { return new ViewCommand(); }  // a picocli @Command object
 * }
 * }</pre>
 */
public interface CommandProvider {
  /** A new picocli {@code @Command}-annotated object, added as a subcommand by its name. */
  Object command();
}
