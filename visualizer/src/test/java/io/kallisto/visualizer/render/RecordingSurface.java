package io.kallisto.visualizer.render;

import java.util.ArrayList;
import java.util.List;

/**
 * A Java2D surface that also keeps every text it was asked to draw, with where and how wide,
 * and every outline, so that tests can check placement of labels and outlines (the renderer
 * under test draws as usual).
 */
final class RecordingSurface implements DrawSurface {
  /** One text drawn: its baseline's left end and its width. */
  record Text(String text, double x, double y, double width, double size, boolean bold) {
    double right() {
      return x + width;
    }
  }

  /** One outline drawn. */
  record Stroke(double x, double y, double w, double h, int argb) {}

  private final Java2DSurface surface;
  final List<Text> texts = new ArrayList<>();
  final List<Stroke> strokes = new ArrayList<>();

  RecordingSurface(int width, int height) {
    surface = new Java2DSurface(width, height);
  }

  /** The pixels drawn. */
  java.awt.image.BufferedImage image() {
    return surface.image();
  }

  @Override
  public double width() {
    return surface.width();
  }

  @Override
  public double height() {
    return surface.height();
  }

  @Override
  public void fillRect(double x, double y, double w, double h, int argb) {
    surface.fillRect(x, y, w, h, argb);
  }

  @Override
  public void strokeRect(double x, double y, double w, double h, int argb, double lineWidth) {
    strokes.add(new Stroke(x, y, w, h, argb));
    surface.strokeRect(x, y, w, h, argb, lineWidth);
  }

  @Override
  public void line(double x1, double y1, double x2, double y2, int argb, double lineWidth,
      boolean dashed) {
    surface.line(x1, y1, x2, y2, argb, lineWidth, dashed);
  }

  @Override
  public void fillPolygon(double[] xs, double[] ys, int n, int argb) {
    surface.fillPolygon(xs, ys, n, argb);
  }

  @Override
  public void text(String text, double x, double y, int argb, double size, boolean bold) {
    texts.add(new Text(text, x, y, surface.textWidth(text, size, bold), size, bold));
    surface.text(text, x, y, argb, size, bold);
  }

  @Override
  public double textWidth(String text, double size, boolean bold) {
    return surface.textWidth(text, size, bold);
  }

  @Override
  public void clip(double x, double y, double w, double h) {
    surface.clip(x, y, w, h);
  }

  @Override
  public void unclip() {
    surface.unclip();
  }
}
