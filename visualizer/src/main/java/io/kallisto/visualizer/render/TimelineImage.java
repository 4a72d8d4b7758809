package io.kallisto.visualizer.render;

import io.kallisto.files.AtomicOutput;
import io.kallisto.files.FileProblem;
import io.kallisto.visualizer.model.TimelineLayout;
import io.kallisto.visualizer.model.TraceModel;
import io.kallisto.visualizer.model.ViewState;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * The timeline as a PNG, without a window: Java2D only, so it works with no display at all and
 * never starts JavaFX. For notebooks, reports and {@code kallisto render}.
 *
 * <pre>{@code
 * TraceModel trace = TraceModel.load(Path.of("demo.ktrace"));
 * byte[] png = TimelineImage.render(trace, 0, 5_000_000, 1600, 900);   // its first 5 ms
 * Files.write(Path.of("demo.png"), png);
 * }</pre>
 *
 * <p>Times are nanoseconds since the trace's first event, as the ruler shows them.
 */
public final class TimelineImage {
  private TimelineImage() {}

  /**
   * A PNG of {@code [from, to]} (nanoseconds since the trace began), {@code width} x
   * {@code height} pixels.
   *
   * @throws IllegalArgumentException if the size or the range is empty
   */
  public static byte[] render(TraceModel trace, long from, long to, int width, int height) {
    return png(renderImage(trace, from, to, width, height));
  }

  /** A PNG of the whole trace. */
  public static byte[] render(TraceModel trace, int width, int height) {
    return png(renderImage(trace, width, height));
  }

  /** The image of {@code [from, to]} since the trace began. */
  public static BufferedImage renderImage(TraceModel trace, long from, long to, int width,
      int height) {
    if (to <= from) {
      throw new IllegalArgumentException("from=" + from + " to=" + to
          + ": the range is empty; 'to' must be after 'from'");
    }
    ViewState state = new ViewState(trace);
    state.show(trace.firstTime() + (double) from, trace.firstTime() + (double) to);
    return renderImage(state, width, height);
  }

  /** The image of the whole trace. */
  public static BufferedImage renderImage(TraceModel trace, int width, int height) {
    return renderImage(new ViewState(trace), width, height);
  }

  /**
   * The image of {@code state} as the window shows it (selection, range, cursor, search and
   * flows included), for exporting the current view.
   */
  public static BufferedImage renderImage(ViewState state, int width, int height) {
    if (width < 50 || height < 50 || width > 16_384 || height > 16_384) {
      throw new IllegalArgumentException(width + "x" + height
          + ": the image size must be from 50x50 to 16384x16384 pixels");
    }
    Java2DSurface surface = new Java2DSurface(width, height);
    try {
      TimelineLayout layout = state.layout(width, height);
      new TimelineRenderer().drawBanner(true).draw(state, layout, surface);
      return surface.image();
    } finally {
      surface.dispose();
    }
  }

  /** Encodes {@code image} as PNG bytes. */
  public static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode the timeline as PNG: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /**
   * Writes {@code png} to {@code file}, replacing it whole or not at all (see
   * {@link AtomicOutput}); the exception names the file if that fails.
   */
  public static void write(byte[] png, Path file) {
    try {
      AtomicOutput.write(file, png);
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException(file + ": cannot write the image: "
          + FileProblem.of(e.getCause()), e.getCause());
    }
  }
}
