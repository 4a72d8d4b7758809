package io.kallisto.notebook;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A rendered PNG image (a chart or a timeline), shown inline in a notebook.
 *
 * <pre>{@code
 * Chart c = Charts.line("p99", "workers", "µs", series);
 * c;                              // shown inline
 * c.save(Path.of("p99.png"));     // or kept
 * display(c.image());             // under IJava, which shows BufferedImages itself
 * }</pre>
 */
public final class Chart implements Rich {
  private final String title;
  private final byte[] png;

  Chart(String title, byte[] png) {
    this.title = title;
    this.png = png;
  }

  /** The PNG file's bytes. <pre>{@code byte[] b = chart.png();}</pre> */
  public byte[] png() {
    return png.clone();
  }

  /** The image, decoded. <pre>{@code int w = chart.image().getWidth();}</pre> */
  public BufferedImage image() {
    try {
      return ImageIO.read(new ByteArrayInputStream(png));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode the PNG of chart '" + title + "'", e);
    }
  }

  /**
   * Writes the PNG to {@code file}, replacing it; returns the file.
   *
   * <pre>{@code chart.save(Path.of("scaling.png"));}</pre>
   */
  public Path save(Path file) {
    try {
      io.kallisto.files.AtomicOutput.write(file, png);
      return file;
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException("cannot write chart '" + title + "' to " + file + ": "
          + io.kallisto.files.FileProblem.of(e.getCause()), e.getCause());
    }
  }

  @Override
  public Map<String, String> mimeBundle() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("image/png", Base64.getEncoder().encodeToString(png));
    m.put("text/plain", toString());
    return m;
  }

  @Override
  public String toString() {
    return "[chart: " + title + ", " + png.length + " bytes of PNG]";
  }
}
