package io.kallisto.visualizer.ui;

import io.kallisto.visualizer.model.RecentFiles;
import io.kallisto.visualizer.model.TraceModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.WritableImage;
import javafx.scene.robot.Robot;
import javafx.stage.Stage;
import javax.imageio.ImageIO;

/**
 * Run in a JVM of its own by {@link XvfbWindowSmokeTest}, on a real display: opens the window on
 * a trace, lets it draw for a few frames, takes a screenshot of the screen where the window is,
 * writes the window list ({@code xwininfo}) beside it, and exits.
 * Arguments: TRACE SCREENSHOT.png.
 */
public final class XvfbSmokeMain {
  private XvfbSmokeMain() {}

  public static void main(String[] args) {
    Path trace = Path.of(args[0]);
    Path shot = Path.of(args[1]);
    TraceModel model = TraceModel.load(trace);
    Platform.startup(() -> {
      Stage stage = new Stage();
      VisualizerWindow window = new VisualizerWindow(stage,
          new RecentFiles(shot.resolveSibling("recent")));
      stage.setX(0);
      stage.setY(0);
      stage.setWidth(1200);
      stage.setHeight(720);
      window.show();
      window.show(model);
      new AnimationTimer() {
        private int frames;

        @Override
        public void handle(long now) {
          if (++frames < 20) {
            return; // let the window be mapped and drawn
          }
          stop();
          WritableImage img = new Robot().getScreenCapture(null, stage.getX(), stage.getY(),
              stage.getWidth(), stage.getHeight());
          try {
            ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", shot.toFile());
            Files.writeString(shot.resolveSibling("windows.txt"), windows(),
                StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          System.out.println("title: " + stage.getTitle());
          Platform.exit();
        }
      }.start();
    });
  }

  /** The X window tree with titles, or a note if xwininfo is not installed. */
  private static String windows() {
    try {
      Process p = new ProcessBuilder("xwininfo", "-root", "-tree").redirectErrorStream(true)
          .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return out;
    } catch (IOException e) {
      return "xwininfo not available: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
