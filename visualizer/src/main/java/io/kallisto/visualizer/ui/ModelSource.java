package io.kallisto.visualizer.ui;

import io.kallisto.trace.TraceFile;
import io.kallisto.trace.analysis.ReadProgress;
import io.kallisto.visualizer.model.TraceModel;

/**
 * Builds the model of an opened trace for the window. Called on the window's loader thread,
 * never on the FX thread; {@code progress} hears events read, up to twice the trace's event
 * count (the model is read in two passes). The default is {@link TraceModel#of(TraceFile,
 * ReadProgress)}; tests hold a load back with one to see the window while it loads.
 */
@FunctionalInterface
public interface ModelSource {
  /** The model of {@code trace}; the trace stays open until this returns. */
  TraceModel load(TraceFile trace, ReadProgress progress);
}
