package io.kallisto.exercises.grader;

import io.kallisto.cli.CommandProvider;

/** Adds {@code kallisto grade} to the CLI. */
public final class GradeCommandProvider implements CommandProvider {
  @Override
  public Object command() {
    return new GradeCommand();
  }
}
