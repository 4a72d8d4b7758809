package io.kallisto.visualizer.ui;

import io.kallisto.visualizer.model.TimeFormat;
import io.kallisto.visualizer.model.ViewState;
import io.kallisto.visualizer.model.Victims;
import javafx.geometry.Insets;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;

/**
 * The range statistics' victims: the range's slowest requests, each a link that selects it,
 * with its latency and, on the line below, the work it waited behind, a link too. Ids
 * {@code victim-N} and {@code victim-N-blocker} (N from 0, slowest first). FX thread only.
 */
final class VictimsList {
  private VictimsList() {}

  /** Appends the list to {@code grid}, below what it holds. */
  static void show(GridPane grid, Victims victims, ViewState state) {
    if (victims.list().isEmpty()) {
      return;
    }
    int row = grid.getRowCount();
    Label head = new Label("Slowest requests");
    head.setStyle("-fx-font-weight: bold;");
    head.setMinWidth(Region.USE_PREF_SIZE);
    head.setPadding(new Insets(6, 0, 0, 0));
    grid.add(head, 0, row++, 2, 1);
    int n = 0;
    for (Victims.Victim v : victims.list()) {
      Label latency = DetailsPanel.value("victim-" + n + "-latency",
          TimeFormat.duration(v.latency()));
      grid.add(latency, 0, row);
      grid.add(link("victim-" + n, v.name(), () -> state.selectAndReveal(v.slice())), 1, row++);
      if (v.blocker() != null) {
        grid.add(link("victim-" + n + "-blocker", v.blocker(),
            () -> state.selectAndReveal(v.blockerSlice())), 1, row++);
      }
      n++;
    }
  }

  private static Hyperlink link(String id, String text, Runnable action) {
    Hyperlink h = new Hyperlink(text);
    h.setId(id);
    h.setMinWidth(Region.USE_PREF_SIZE);
    h.setPadding(Insets.EMPTY);
    h.setOnAction(e -> action.run());
    return h;
  }
}
