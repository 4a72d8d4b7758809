package io.kallisto.notebook.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** A kernel that keeps what it would send to Jupyter: displays, and stream text per cell. */
class RecordingKernel extends KallistoKernel {
  /** Text sent to one stream of one cell. */
  record Stream(int cell, String name, String text) {}

  final List<DisplayData> displayed = new CopyOnWriteArrayList<>();
  final List<Stream> streams = new CopyOnWriteArrayList<>();

  @Override
  protected void publish(DisplayData data) {
    displayed.add(data);
  }

  @Override
  protected void publishStream(CellRun run, String stream, String text) {
    streams.add(new Stream(run.number, stream, text));
    synchronized (this) {
      notifyAll();
    }
  }

  /** The number the next cell gets. */
  int nextCell() {
    return executionCount.get();
  }

  /** Everything sent to {@code stream} of cell {@code cell}. */
  String text(int cell, String stream) {
    return streams.stream().filter(s -> s.cell == cell && s.name.equals(stream))
        .map(Stream::text).collect(Collectors.joining());
  }

  /** Waits until the streams sent so far satisfy {@code done}; bound it with a test timeout. */
  synchronized void awaitStreams(Predicate<List<Stream>> done) throws InterruptedException {
    while (!done.test(streams)) {
      wait();
    }
  }
}
