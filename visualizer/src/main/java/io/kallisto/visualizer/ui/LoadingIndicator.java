package io.kallisto.visualizer.ui;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;

/**
 * The status bar's loading progress: a bar and "Loading hol.ktrace: 41 %". The loader thread
 * reports through {@link #opened} and {@link #read}, as often as it likes; those only store the
 * figures and ask for one FX update if none is pending, so a fast load costs a handful of
 * repaints, not one per report. {@link #start} and {@link #finish} run on the FX thread.
 */
final class LoadingIndicator {
  private final ProgressBar bar = new ProgressBar(ProgressBar.INDETERMINATE_PROGRESS);
  private final Label text = new Label();
  private final HBox box = new HBox(6, bar, text);
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong done = new AtomicLong();
  private final AtomicBoolean updatePending = new AtomicBoolean();
  private volatile String name = "";

  LoadingIndicator() {
    bar.setId("loadProgress");
    text.setId("loadText");
    bar.setPrefWidth(140);
    box.setVisible(false);
    box.setManaged(false);
  }

  /** The bar and its text, for the status bar. */
  HBox node() {
    return box;
  }

  /** A load of {@code file} begins: the bar shows at once, spinning until the size is known. */
  void start(Path file) {
    name = String.valueOf(file.getFileName());
    total.set(0);
    done.set(0);
    bar.setProgress(ProgressBar.INDETERMINATE_PROGRESS);
    text.setText("Loading " + name + " …");
    box.setVisible(true);
    box.setManaged(true);
  }

  /** The trace is open: {@code units} events are to be read. Any thread. */
  void opened(long units) {
    total.set(Math.max(1, units));
    requestUpdate();
  }

  /** {@code units} events have been read. Any thread. */
  void read(long units) {
    done.set(units);
    requestUpdate();
  }

  /** The share read so far, 0 to 1, or -1 before the size is known. Any thread. */
  double share() {
    long all = total.get();
    return all == 0 ? -1 : Math.min(1.0, done.get() / (double) all);
  }

  /** The load is over, loaded or failed: the bar goes. */
  void finish() {
    box.setVisible(false);
    box.setManaged(false);
  }

  /** True while a load shows its progress. FX thread. */
  boolean isShowing() {
    return box.isVisible();
  }

  /** The shown share done, from 0 to 1, or negative while the size is not known. FX thread. */
  double shownProgress() {
    return bar.getProgress();
  }

  /** The shown text. FX thread. */
  String shownText() {
    return text.getText();
  }

  private void requestUpdate() {
    if (updatePending.compareAndSet(false, true)) {
      Platform.runLater(this::update);
    }
  }

  private void update() {
    updatePending.set(false);
    long all = total.get();
    if (all == 0 || !box.isVisible()) {
      return;
    }
    double share = Math.min(1.0, done.get() / (double) all);
    bar.setProgress(share);
    text.setText(String.format(Locale.ROOT, "Loading %s: %.0f %%", name, share * 100));
  }
}
