package io.kallisto.visualizer.render;

import io.kallisto.visualizer.model.BlockOverview;
import io.kallisto.visualizer.model.Viewport;
import java.util.Arrays;
import java.util.Locale;

/**
 * Draws a {@link BlockOverview}, the whole trace from its block headers, while the full model
 * loads: the ruler, a lane per thread with its name in the label column, and in each lane a bar
 * per pixel column as high as the events recorded there (one scale for every lane, so a busy
 * worker and an idle main thread compare at a glance), with a caption that says what this is and
 * how far the detail has got. The sizes are the timeline's, so that the lanes do not jump when
 * the model replaces the overview; many threads share the height instead of scrolling.
 *
 * <p>A frame costs a pass over the blocks and one over the pixel columns per lane; the bins are
 * one reused array. Not thread safe, like the surfaces.
 */
public final class OverviewRenderer {
  /** The height a lane takes when there is room; the timeline's lane with one row. */
  private static final double LANE = 34;
  /** The least height a lane gets when many threads share the view. */
  private static final double MIN_LANE = 14;

  private final Viewport viewport = new Viewport(0, 1, 0, 1);
  private double[] bins = new double[0];
  private String[] labels = new String[0];
  private BlockOverview shown;
  private String[] eventTexts = new String[0];
  private String caption;
  private long bars;

  /**
   * Draws {@code overview} on {@code g} at {@code scale} (1, or larger in presentation mode);
   * {@code progress} is the share of the detail loaded, 0 to 1, or negative when not known.
   */
  public void draw(BlockOverview overview, double progress, double scale, DrawSurface g) {
    double width = g.width();
    double rulerHeight = 24 * scale;
    double captionHeight = 22 * scale;
    double labelWidth = Math.min(width * 0.4, 160 * scale);
    int columns = (int) Math.max(1, Math.floor(width - labelWidth));
    viewport.setPixels(labelWidth, columns);
    viewport.set(overview.firstTime(), overview.lastTime() + 1.0);
    prepare(overview);
    g.fillRect(0, 0, width, g.height(), Palette.BACKGROUND);
    int lanes = overview.laneCount();
    double top = rulerHeight;
    double room = Math.max(0, g.height() - rulerHeight - captionHeight);
    double laneHeight = lanes == 0 ? 0
        : Math.max(MIN_LANE * scale, Math.min(LANE * scale, room / lanes));
    double peak = bin(overview, columns);
    bars = 0;
    g.clip(0, top, width, room);
    RulerRenderer.drawGridLines(viewport, overview.firstTime(), scale, g, top, top + room);
    for (int l = 0; l < lanes && top + l * laneHeight <= top + room; l++) {
      double y = top + l * laneHeight;
      drawBars(l, y, laneHeight, columns, peak, scale, g);
      drawLabel(overview, l, y, laneHeight, labelWidth, scale, g);
      g.line(0, y + laneHeight - 0.5, width, y + laneHeight - 0.5, Palette.GRID, 1, false);
    }
    g.line(labelWidth - 0.5, top, labelWidth - 0.5, top + room, Palette.GRID, 1, false);
    if (lanes == 0) {
      g.text("no events", labelWidth + 8, top + 20 * scale, Palette.TEXT_MUTED, 10 * scale,
          false);
    }
    g.unclip();
    RulerRenderer.drawPlain(viewport, overview.firstTime(), overview.fileName(), width,
        rulerHeight, labelWidth, scale, g);
    drawCaption(caption(overview, progress), captionHeight, scale, g);
  }

  /** Sizes the per-lane arrays and formats the event counts, once per trace, not per frame. */
  private void prepare(BlockOverview overview) {
    int lanes = overview.laneCount();
    if (shown != overview) {
      shown = overview;
      labels = new String[lanes];
      eventTexts = new String[lanes];
      for (int l = 0; l < lanes; l++) {
        eventTexts[l] = String.format(Locale.ROOT, "%,d events", overview.events(l));
      }
    }
    Arrays.fill(labels, null);
  }

  /** Lane {@code lane}'s bars: one per pixel column with events, from the lane's bottom. */
  private void drawBars(int lane, double y, double laneHeight, int columns, double peak,
      double scale, DrawSurface g) {
    double left = viewport.left();
    if (lane % 2 == 1) {
      g.fillRect(left, y, columns, laneHeight, Palette.LANE_ALT);
    }
    double barRoom = laneHeight - 6 * scale;
    double bottom = y + 3 * scale + barRoom;
    int base = lane * columns;
    for (int c = 0; c < columns; c++) {
      double v = bins[base + c];
      if (v > 0) {
        // At least a pixel: a column with any event shows, however quiet.
        double h = Math.max(1, barRoom * v / peak);
        g.fillRect(left + c, bottom - h, 1, h, Palette.SKY_BLUE);
        bars++;
      }
    }
  }

  /** The thread's name, and its count of events under it where the lane has room. */
  private void drawLabel(BlockOverview overview, int lane, double y, double laneHeight,
      double labelWidth, double scale, DrawSurface g) {
    double size = 11 * scale;
    double small = 10 * scale;
    g.fillRect(0, y, labelWidth, laneHeight, Palette.PANEL);
    labels[lane] = Drawing.fit(g, overview.name(lane), labelWidth - 12, size, true);
    boolean twoLines = laneHeight >= 2.6 * size;
    double baseline = twoLines ? y + laneHeight * 0.45 : y + laneHeight / 2 + size * 0.36;
    g.text(labels[lane], 8, baseline, Palette.TEXT, size, true);
    if (twoLines) {
      g.text(Drawing.fit(g, eventTexts[lane], labelWidth - 12, small, false), 8,
          baseline + small * 1.35, Palette.TEXT_MUTED, small, false);
    }
  }

  private void drawCaption(String text, double captionHeight, double scale, DrawSurface g) {
    caption = text;
    double size = 11 * scale;
    double top = g.height() - captionHeight;
    g.fillRect(0, top, g.width(), captionHeight, Palette.PANEL);
    g.text(Drawing.fit(g, text, g.width() - 16, size, false), 8,
        top + captionHeight / 2 + size * 0.36, Palette.TEXT, size, false);
  }

  /**
   * Fills the bins, lane after lane, growing the array only when the trace or the width needs
   * more; returns the largest bin (above 0, so that an empty trace divides safely).
   */
  private double bin(BlockOverview overview, int columns) {
    int need = overview.laneCount() * columns;
    if (bins.length < need) {
      bins = new double[need];
    }
    double peak = 1e-9;
    for (int l = 0; l < overview.laneCount(); l++) {
      peak = Math.max(peak, overview.density(l, viewport.from(), viewport.to(), bins,
          l * columns, columns));
    }
    return peak;
  }

  /**
   * "Overview of 12,534,278 events from 6,120 block headers — loading detail… 43 %": what is
   * drawn, where it comes from, and that more is coming.
   */
  public static String caption(BlockOverview overview, double progress) {
    String head = String.format(Locale.ROOT, "Overview of %,d events from %,d block headers"
        + " — loading detail…", overview.eventCount(), overview.blockCount());
    return progress < 0 ? head : String.format(Locale.ROOT, "%s %.0f %%", head,
        Math.min(1, progress) * 100);
  }

  /** The caption of the last frame (tests). */
  public String lastCaption() {
    return caption;
  }

  /** Lane {@code lane}'s label as the last frame drew it, or {@code null} if not drawn (tests). */
  public String lastLabel(int lane) {
    return lane < labels.length ? labels[lane] : null;
  }

  /** The bars the last frame drew, one per pixel column with events (tests). */
  public long lastBars() {
    return bars;
  }
}
