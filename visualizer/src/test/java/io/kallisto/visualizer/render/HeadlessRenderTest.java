package io.kallisto.visualizer.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.visualizer.TestTraces;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offscreen rendering needs no display and never touches JavaFX: a fresh JVM with no DISPLAY
 * and {@code java.awt.headless=true} runs {@code kallisto render} and loads no JavaFX class;
 * and the model and render packages refer to nothing in {@code javafx}.
 */
class HeadlessRenderTest {
  private static final Duration LIMIT = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void shouldRenderWithNoDisplayAndWithoutLoadingJavaFx() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Path png = dir.resolve("fixture.png");
      Path log = dir.resolve("classes.log");
      List<String> cmd = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Djava.awt.headless=true", "-Xlog:class+load=info:file=" + log,
          "-cp", System.getProperty("java.class.path"), "io.kallisto.cli.KallistoCli", "render",
          TestTraces.fixture().toString(), "-o", png.toString(), "--width", "800", "--height",
          "400"));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().remove("DISPLAY");
      pb.environment().remove("WAYLAND_DISPLAY");
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), out);
      assertTrue(out.startsWith("wrote " + png), out);
      BufferedImage img = ImageIO.read(png.toFile());
      assertEquals(800, img.getWidth());
      List<String> fx = Files.readAllLines(log).stream()
          .filter(l -> l.contains(" javafx.") || l.contains(" com.sun.javafx."))
          .collect(Collectors.toList());
      assertTrue(fx.isEmpty(), "JavaFX classes were loaded: " + fx);
      assertTrue(Files.readString(log).contains("io.kallisto.visualizer.render.Java2DSurface"),
          "the log does list classes");
    });
  }

  @Test
  void shouldKeepModelAndRenderingFreeOfJavaFx() throws IOException {
    Path classes = Path.of(System.getProperty("user.dir"), "target", "classes", "io", "kallisto",
        "visualizer");
    List<String> offenders = new ArrayList<>();
    int checked = 0;
    for (String pkg : List.of("model", "render", "cli")) {
      try (Stream<Path> files = Files.walk(classes.resolve(pkg))) {
        for (Path f : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".class"))::iterator) {
          checked++;
          if (referencesJavaFx(f)) {
            offenders.add(classes.relativize(f).toString());
          }
        }
      }
    }
    assertTrue(checked > 30, "checked " + checked + " classes");
    assertEquals(List.of(), offenders);
  }

  /** True if the class file's constant pool names anything in the javafx packages. */
  private static boolean referencesJavaFx(Path classFile) {
    try {
      String text = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
      return text.contains("javafx/");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
