package io.kallisto.notebook.kernel;

import io.kallisto.cli.CommandProvider;

/** Adds {@code kallisto notebook} to the CLI (listed in {@code META-INF/services}). */
public final class NotebookCommandProvider implements CommandProvider {
  @Override
  public Object command() {
    return new NotebookCommand();
  }
}
