package io.kallisto.visualizer.cli;

import io.kallisto.cli.CommandProvider;

/** Adds {@code kallisto render}. */
public final class RenderCommandProvider implements CommandProvider {
  @Override
  public Object command() {
    return new RenderCommand();
  }
}
