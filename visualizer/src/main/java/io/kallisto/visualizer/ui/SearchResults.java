package io.kallisto.visualizer.ui;

import io.kallisto.visualizer.model.Lane;
import io.kallisto.visualizer.model.Search;
import io.kallisto.visualizer.model.SliceDetails;
import io.kallisto.visualizer.model.TimeFormat;
import io.kallisto.visualizer.model.ViewState;
import java.util.AbstractList;
import java.util.Locale;
import javafx.collections.FXCollections;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.VBox;

/**
 * The search's results as a list: threads, counter tracks, then slices in time order, each
 * line saying what and where ({@code sleep request · worker-0 · 12.345678 ms}). A click goes to
 * the result, as Enter in the search field does. The list holds result numbers only and asks
 * the search for a line when a row comes into view, so a search of millions of slices costs
 * the rows on screen. Its height is set in ems (visualizer.css), so it grows with presentation
 * mode's font. FX thread only.
 */
final class SearchResults extends VBox {
  private final Label title = new Label();
  private final ListView<Long> list = new ListView<>();
  private ViewState state;
  private Search shown;
  private long shownIndex = -2;
  private boolean syncing;

  SearchResults() {
    super(4);
    title.setId("resultsTitle");
    title.getStyleClass().add("muted");
    title.setWrapText(true);
    list.setId("results");
    list.setCellFactory(v -> new Row());
    list.setFixedCellSize(-1);
    list.getSelectionModel().selectedItemProperty().addListener((o, was, k) -> {
      if (!syncing && k != null && state != null && state.search() == shown
          && k != state.searchIndex()) {
        state.showResult(k);
      }
    });
    getChildren().addAll(title, list);
  }

  void setState(ViewState s) {
    state = s;
    shown = null;
    shownIndex = -2;
    refresh();
  }

  /** The list (tests). */
  ListView<Long> list() {
    return list;
  }

  /** Follows the state's search and the result it is on; cheap when neither changed. */
  void refresh() {
    Search search = state == null ? null : state.search();
    if (search != shown) {
      shown = search;
      shownIndex = -2;
      syncing = true;
      list.setItems(FXCollections.observableList(new Numbers(search == null ? 0
          : (int) Math.min(Integer.MAX_VALUE, search.total()))));
      syncing = false;
      title.setText(search == null ? "" : search.total() == 0
          ? "Nothing matches \u201c" + search.text() + "\u201d."
          : String.format(Locale.ROOT, "%,d results: threads, counters, then slices by time",
              search.total()));
    }
    if (search != null && state.searchIndex() != shownIndex) {
      shownIndex = state.searchIndex();
      syncing = true;
      if (shownIndex < 0 || shownIndex >= list.getItems().size()) {
        list.getSelectionModel().clearSelection();
      } else {
        list.getSelectionModel().select((int) shownIndex);
        list.scrollTo((int) Math.max(0, shownIndex - 2));
      }
      syncing = false;
    }
  }

  /** What result {@code k} of {@code search} is, in one line. */
  static String describe(ViewState state, Search search, long k) {
    Search.Result r = search.result(k);
    switch (r.kind()) {
      case THREAD:
        return "thread  " + state.model().lanes().get(r.lane()).name();
      case COUNTER:
        return "counter  " + state.model().counterTracks().get(r.track()).title();
      default: {
        Lane lane = state.model().lanes().get(r.lane());
        return SliceDetails.labelOf(state.model(), lane, r.slice()) + " · " + lane.name()
            + " · " + TimeFormat.precise(lane.start(r.slice()) - state.model().firstTime());
      }
    }
  }

  /** 0, 1, ..., n - 1, without storing them. */
  private static final class Numbers extends AbstractList<Long> {
    private final int n;

    Numbers(int n) {
      this.n = n;
    }

    @Override
    public Long get(int index) {
      if (index < 0 || index >= n) {
        throw new IndexOutOfBoundsException("result " + index + " of " + n);
      }
      return (long) index;
    }

    @Override
    public int size() {
      return n;
    }
  }

  private final class Row extends ListCell<Long> {
    @Override
    protected void updateItem(Long k, boolean empty) {
      super.updateItem(k, empty);
      if (empty || k == null || shown == null || k >= shown.total()) {
        setText(null);
      } else {
        setText(describe(state, shown, k));
      }
    }
  }
}
