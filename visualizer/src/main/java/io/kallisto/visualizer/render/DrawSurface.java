package io.kallisto.visualizer.render;

/**
 * The few drawing operations the timeline needs, so that it is drawn by one piece of code into
 * a JavaFX canvas (the window) or a Java2D image (PNG export, {@code kallisto render},
 * notebooks). Colours are ARGB ints; coordinates are pixels from the top left; text is drawn
 * from its baseline in the one sans-serif family both implementations use.
 *
 * <p>Implementations are not thread safe: one surface is drawn by one thread at a time.
 */
public interface DrawSurface {
  /** Width in pixels. */
  double width();

  /** Height in pixels. */
  double height();

  /** Fills a rectangle. */
  void fillRect(double x, double y, double w, double h, int argb);

  /** Outlines a rectangle with a line {@code lineWidth} wide. */
  void strokeRect(double x, double y, double w, double h, int argb, double lineWidth);

  /** Draws a line, dashed or solid. */
  void line(double x1, double y1, double x2, double y2, int argb, double lineWidth,
      boolean dashed);

  /** Fills the polygon of the first {@code n} points. */
  void fillPolygon(double[] xs, double[] ys, int n, int argb);

  /** Draws {@code text} with its baseline's left end at ({@code x}, {@code y}). */
  void text(String text, double x, double y, int argb, double size, boolean bold);

  /** The width {@code text} takes at {@code size}. */
  double textWidth(String text, double size, boolean bold);

  /** Restricts drawing to a rectangle until {@link #unclip()}. Clips do not nest. */
  void clip(double x, double y, double w, double h);

  /** Ends the clip. */
  void unclip();
}
