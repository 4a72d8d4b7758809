package io.kallisto.notebook;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Showing things in a cell. The Kallisto kernel imports these statically, so a cell can say
 * {@code display(html("<b>hi</b>"))}.
 *
 * <pre>{@code
 * display(markdown("**Hypothesis:** p99 grows with the blocking share"));
 * display(Charts.line("p99 by workers", "workers", "p99 µs", series));
 * }</pre>
 *
 * <p>Outside the Kallisto kernel (under IJava or JJava, or in a plain program) no display is
 * installed and {@link #display(Object)} prints the plain-text form to {@code System.out}.
 */
public final class Notebook {
  private static volatile Consumer<Object> sink;

  private Notebook() {}

  /**
   * Shows {@code value} in the running cell's output, now, rather than only at the cell's end:
   * {@link Rich} values as their richest form, images as PNG, anything else as text.
   *
   * <pre>{@code
   * for (int w = 1; w <= 2; w++) display(Experiment.of("baseline-echo").workers(w).run());
   * }</pre>
   */
  public static void display(Object value) {
    Consumer<Object> s = sink;
    if (s != null) {
      s.accept(value);
    } else {
      System.out.println(value instanceof Rich ? ((Rich) value).mimeBundle().get("text/plain")
          : String.valueOf(value));
    }
  }

  /**
   * Where {@link #display(Object)} sends values; the kernel installs one at start-up.
   * {@code null} restores printing. Safe from any thread.
   */
  public static void setDisplay(Consumer<Object> display) {
    sink = display;
  }

  /**
   * HTML, shown rendered.
   *
   * <pre>{@code display(html("<h3>Results</h3>"));}</pre>
   */
  public static Rich html(String html) {
    return of("text/html", html, html.replaceAll("<[^>]+>", ""));
  }

  /**
   * Markdown, shown rendered.
   *
   * <pre>{@code display(markdown("p99 is **" + p99 + " µs**"));}</pre>
   */
  public static Rich markdown(String markdown) {
    return of("text/markdown", markdown, markdown);
  }

  /**
   * An SVG image.
   *
   * <pre>{@code display(svg("<svg xmlns='http://www.w3.org/2000/svg' width='20' height='20'>"
   *     + "<circle cx='10' cy='10' r='8'/></svg>"));}</pre>
   */
  public static Rich svg(String svg) {
    return of("image/svg+xml", svg, "[SVG image]");
  }

  /**
   * A PNG image from its bytes.
   *
   * <pre>{@code display(png(Files.readAllBytes(Path.of("timeline.png"))));}</pre>
   */
  public static Rich png(byte[] png) {
    Objects.requireNonNull(png, "png");
    return of("image/png", Base64.getEncoder().encodeToString(png),
        "[PNG image, " + png.length + " bytes]");
  }

  static Rich of(String mime, String content, String text) {
    Map<String, String> bundle = new LinkedHashMap<>();
    bundle.put(mime, content);
    bundle.put("text/plain", text);
    Map<String, String> fixed = Map.copyOf(bundle);
    return new Rich() {
      @Override
      public Map<String, String> mimeBundle() {
        return new LinkedHashMap<>(bundle);
      }

      @Override
      public String toString() {
        return fixed.get("text/plain");
      }
    };
  }
}
