package io.kallisto.visualizer.cli;

import io.kallisto.cli.CommandProvider;

/** Adds {@code kallisto view}. */
public final class ViewCommandProvider implements CommandProvider {
  @Override
  public Object command() {
    return new ViewCommand();
  }
}
