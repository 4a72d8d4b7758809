package io.kallisto.cli;

/**
 * A mistake in what the user gave (a file, an option, a scenario field): reported as one line,
 * without a stack trace, with exit code {@link KallistoCli#EXIT_USER_ERROR}. The message names
 * the input and what is wrong with it.
 */
public final class UserError extends RuntimeException {
  /** @param message names the input and what is wrong, for example {@code "--workers=-3: ..."} */
  public UserError(String message) {
    super(message, null, false, false);
  }
}
