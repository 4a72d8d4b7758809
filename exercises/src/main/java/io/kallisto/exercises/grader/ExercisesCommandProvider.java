package io.kallisto.exercises.grader;

import io.kallisto.cli.CommandProvider;

/** Adds {@code kallisto exercises} (list, export) to the CLI. */
public final class ExercisesCommandProvider implements CommandProvider {
  @Override
  public Object command() {
    return new ExercisesCommand();
  }
}
