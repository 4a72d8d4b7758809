package io.kallisto.notebook;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Puts a line of text above a PNG: a timeline says what its window shows, in the picture. */
final class Caption {
  private static final int BAND = 26;

  private Caption() {}

  /** {@code png} with {@code text} in a band above it, shortened to fit the width. */
  static byte[] above(byte[] png, String text) {
    try {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
      BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight() + BAND,
          BufferedImage.TYPE_INT_RGB);
      Graphics2D g = Pictures.whiteCanvas(out);
      try {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        FontMetrics m = g.getFontMetrics();
        String line = text;
        while (line.length() > 4 && m.stringWidth(line) > out.getWidth() - 16) {
          line = line.substring(0, line.length() - 4) + "…";
        }
        g.drawString(line, 8, BAND - 8);
        g.drawImage(img, 0, BAND, null);
      } finally {
        g.dispose();
      }
      return Pictures.png(out, "a captioned timeline");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot caption a timeline picture", e);
    }
  }
}
