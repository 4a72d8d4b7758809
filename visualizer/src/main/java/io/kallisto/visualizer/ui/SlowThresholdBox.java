package io.kallisto.visualizer.ui;

import io.kallisto.visualizer.model.SlowThreshold;
import java.util.function.Consumer;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Tooltip;

/**
 * The "Slow requests" threshold: an editable box offering p90, p99 (the default), p99.9, 1 ms and
 * 10 ms, which also takes any percentile or duration typed in. A valid entry is handed on; an
 * invalid one is marked (style class {@code error}) with the reason in its tooltip, and the
 * threshold in force stays. FX thread only.
 */
final class SlowThresholdBox {
  private static final String HINT = "What counts as slow: a percentile of this trace's request"
      + " latencies (p99, p99.9) or a duration (5ms); Enter to apply";

  private final ComboBox<String> box = new ComboBox<>();
  private final Tooltip tooltip = new Tooltip(HINT);
  private SlowThreshold current = SlowThreshold.P99;

  SlowThresholdBox(Consumer<SlowThreshold> onChange) {
    box.setId("slowThreshold");
    box.setEditable(true);
    box.getItems().addAll("p90", "p99", "p99.9", "1ms", "10ms");
    box.setValue(current.toString());
    box.setPrefWidth(90);
    box.setTooltip(tooltip);
    box.setOnAction(e -> {
      String text = box.getValue();
      try {
        SlowThreshold t = SlowThreshold.parse(text);
        box.getStyleClass().remove("error");
        box.setStyle("");
        tooltip.setText(HINT);
        current = t;
        onChange.accept(t);
      } catch (IllegalArgumentException bad) {
        if (!box.getStyleClass().contains("error")) {
          box.getStyleClass().add("error");
        }
        box.setStyle("-fx-border-color: #c62828; -fx-border-width: 2;");
        tooltip.setText(bad.getMessage());
      }
    });
  }

  /** The control, for the toolbar. */
  ComboBox<String> node() {
    return box;
  }

  /** The threshold in force: the last valid entry. */
  SlowThreshold current() {
    return current;
  }

  /** Why the last entry was refused, or {@code null} if it was taken (tests, status line). */
  String problem() {
    return box.getStyleClass().contains("error") ? tooltip.getText() : null;
  }
}
