package io.kallisto.notebook;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** The little Java2D the helper API draws itself: a white canvas for text, and its PNG. */
final class Pictures {
  private Pictures() {}

  /** A graphics context on {@code img}, with antialiased text, filled white; dispose it. */
  static Graphics2D whiteCanvas(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    return g;
  }

  /** {@code img} as PNG bytes; {@code what} names it if encoding fails. */
  static byte[] png(BufferedImage img, String what) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", b);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + what + " as PNG", e);
    }
    return b.toByteArray();
  }
}
