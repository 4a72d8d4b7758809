package io.kallisto.visualizer.ui;

import io.kallisto.visualizer.render.DrawSurface;
import java.util.HashMap;
import java.util.Map;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;

/**
 * A {@link DrawSurface} over a JavaFX {@link Canvas}. Colours and fonts are cached, and text
 * widths come from per-character tables measured once per font, because measuring a string
 * through a scene-graph node costs microseconds and a frame measures hundreds of labels.
 * FX thread only.
 */
final class FxCanvasSurface implements DrawSurface {
  static final String FAMILY = "DejaVu Sans";

  private final Canvas canvas;
  private final GraphicsContext g;
  private final Map<Integer, Color> colors = new HashMap<>();
  private final Map<Integer, Font> fonts = new HashMap<>();
  private final Map<Integer, float[]> widths = new HashMap<>();
  private final Text measure = new Text();
  private final double[] dashes = {4, 3};
  private int fill;
  private int stroke;

  FxCanvasSurface(Canvas canvas) {
    this.canvas = canvas;
    this.g = canvas.getGraphicsContext2D();
  }

  @Override
  public double width() {
    return canvas.getWidth();
  }

  @Override
  public double height() {
    return canvas.getHeight();
  }

  private Color color(int argb) {
    return colors.computeIfAbsent(argb, c -> Color.rgb((c >> 16) & 0xff, (c >> 8) & 0xff,
        c & 0xff, ((c >>> 24) & 0xff) / 255.0));
  }

  private void fill(int argb) {
    if (argb != fill) {
      g.setFill(color(argb));
      fill = argb;
    }
  }

  private void stroke(int argb) {
    if (argb != stroke) {
      g.setStroke(color(argb));
      stroke = argb;
    }
  }

  /** Starts a frame: the context's paint state is unknown after a resize. */
  void begin() {
    fill = 0;
    stroke = 0;
    g.setFill(Color.TRANSPARENT);
    g.setStroke(Color.TRANSPARENT);
  }

  @Override
  public void fillRect(double x, double y, double w, double h, int argb) {
    fill(argb);
    double x0 = Math.round(x);
    double y0 = Math.round(y);
    g.fillRect(x0, y0, Math.max(1, Math.round(x + w) - x0), Math.max(1, Math.round(y + h) - y0));
  }

  @Override
  public void strokeRect(double x, double y, double w, double h, int argb, double lineWidth) {
    stroke(argb);
    g.setLineWidth(lineWidth);
    g.setLineDashes((double[]) null);
    g.strokeRect(x, y, w, h);
  }

  @Override
  public void line(double x1, double y1, double x2, double y2, int argb, double lineWidth,
      boolean dashed) {
    stroke(argb);
    g.setLineWidth(lineWidth);
    g.setLineDashes(dashed ? dashes : null);
    g.strokeLine(x1, y1, x2, y2);
  }

  @Override
  public void fillPolygon(double[] xs, double[] ys, int n, int argb) {
    fill(argb);
    g.fillPolygon(xs, ys, n);
  }

  private static int key(double size, boolean bold) {
    return (int) Math.round(size * 10) * 2 + (bold ? 1 : 0);
  }

  private Font font(double size, boolean bold) {
    return fonts.computeIfAbsent(key(size, bold), k -> Font.font(FAMILY,
        bold ? FontWeight.BOLD : FontWeight.NORMAL, size));
  }

  @Override
  public void text(String text, double x, double y, int argb, double size, boolean bold) {
    fill(argb);
    g.setFont(font(size, bold));
    g.fillText(text, x, y);
  }

  @Override
  public double textWidth(String text, double size, boolean bold) {
    float[] table = widths.computeIfAbsent(key(size, bold), k -> new float[0x2500]);
    Font f = font(size, bold);
    double w = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < table.length) {
        if (table[c] == 0) {
          table[c] = (float) measure(String.valueOf(c), f) + 1e-4f;
        }
        w += table[c];
      } else {
        w += measure(String.valueOf(c), f);
      }
    }
    return w;
  }

  private double measure(String s, Font f) {
    measure.setFont(f);
    measure.setText(s);
    return measure.getLayoutBounds().getWidth();
  }

  @Override
  public void clip(double x, double y, double w, double h) {
    g.save();
    g.beginPath();
    g.rect(x, y, w, h);
    g.clip();
  }

  @Override
  public void unclip() {
    g.restore();
    // restore() brings back the paint saved with the clip; forget what we thought was set
    fill = 0;
    stroke = 0;
  }
}
