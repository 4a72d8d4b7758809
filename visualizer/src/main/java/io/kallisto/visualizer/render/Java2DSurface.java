package io.kallisto.visualizer.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link DrawSurface} over a Java2D {@link BufferedImage}: works with no display and never
 * touches JavaFX, so PNGs can be made on a server, in CI or in a notebook kernel.
 */
public final class Java2DSurface implements DrawSurface {
  /** The family the timeline is drawn in; Java2D falls back to its sans-serif if missing. */
  static final String FAMILY = "DejaVu Sans";

  private final BufferedImage image;
  private final Graphics2D g;
  private final Shape initialClip;
  private final Map<Integer, Font> fonts = new HashMap<>();
  private final Map<Integer, Color> colors = new HashMap<>();
  /** Per font: each character's width, measured on first use (0: not yet). */
  private final Map<Integer, float[]> widths = new HashMap<>();
  private int current;
  private final Rectangle2D.Double rect = new Rectangle2D.Double();
  private final Line2D.Double lineShape = new Line2D.Double();
  private final Path2D.Double path = new Path2D.Double();
  private static final float[] DASH = {4f, 3f};

  /** A new RGB image of {@code width} x {@code height} to draw on. */
  public Java2DSurface(int width, int height) {
    image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS,
        RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    initialClip = g.getClip();
  }

  /** The image drawn so far. */
  public BufferedImage image() {
    return image;
  }

  /** Releases the graphics context; the image stays valid. */
  public void dispose() {
    g.dispose();
  }

  @Override
  public double width() {
    return image.getWidth();
  }

  @Override
  public double height() {
    return image.getHeight();
  }

  private void color(int argb) {
    if (argb != current) {
      g.setColor(colors.computeIfAbsent(argb, c -> new Color(c, true)));
      current = argb;
    }
  }

  @Override
  public void fillRect(double x, double y, double w, double h, int argb) {
    color(argb);
    // Whole pixels, as the FX canvas snaps them, so both draw the same picture.
    int x0 = (int) Math.round(x);
    int y0 = (int) Math.round(y);
    int x1 = (int) Math.round(x + w);
    int y1 = (int) Math.round(y + h);
    g.fillRect(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
  }

  @Override
  public void strokeRect(double x, double y, double w, double h, int argb, double lineWidth) {
    color(argb);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
    g.setStroke(new BasicStroke((float) lineWidth));
    rect.setRect(x, y, w, h);
    g.draw(rect);
  }

  @Override
  public void line(double x1, double y1, double x2, double y2, int argb, double lineWidth,
      boolean dashed) {
    color(argb);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setStroke(dashed ? new BasicStroke((float) lineWidth, BasicStroke.CAP_BUTT,
        BasicStroke.JOIN_MITER, 10f, DASH, 0f) : new BasicStroke((float) lineWidth));
    lineShape.setLine(x1, y1, x2, y2);
    g.draw(lineShape);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
  }

  @Override
  public void fillPolygon(double[] xs, double[] ys, int n, int argb) {
    color(argb);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    path.reset();
    path.moveTo(xs[0], ys[0]);
    for (int i = 1; i < n; i++) {
      path.lineTo(xs[i], ys[i]);
    }
    path.closePath();
    g.fill(path);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
  }

  private static int key(double size, boolean bold) {
    return (int) Math.round(size * 10) * 2 + (bold ? 1 : 0);
  }

  private Font font(double size, boolean bold) {
    return fonts.computeIfAbsent(key(size, bold), k -> new Font(FAMILY, bold ? Font.BOLD : Font.PLAIN, 1)
        .deriveFont((float) size));
  }

  @Override
  public void text(String text, double x, double y, int argb, double size, boolean bold) {
    color(argb);
    g.setFont(font(size, bold));
    g.drawString(text, (float) x, (float) y);
  }

  @Override
  public double textWidth(String text, double size, boolean bold) {
    // Measuring a string builds a layout each time, and a frame measures hundreds of labels:
    // each character is measured once per font, and a string's width is their sum (the same,
    // since no kerning is asked for).
    float[] table = widths.computeIfAbsent(key(size, bold), k -> new float[0x2500]);
    double w = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < table.length) {
        if (table[c] == 0) {
          table[c] = (float) measure(String.valueOf(c), size, bold) + 1e-4f;
        }
        w += table[c];
      } else {
        w += measure(String.valueOf(c), size, bold);
      }
    }
    return w;
  }

  private double measure(String s, double size, boolean bold) {
    FontMetrics m = g.getFontMetrics(font(size, bold));
    return m.getStringBounds(s, g).getWidth();
  }

  @Override
  public void clip(double x, double y, double w, double h) {
    g.setClip(new Rectangle2D.Double(x, y, w, h));
  }

  @Override
  public void unclip() {
    g.setClip(initialClip);
  }
}
