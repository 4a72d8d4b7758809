package io.kallisto.bench.trace;

import io.kallisto.visualizer.model.Lane;
import io.kallisto.visualizer.model.TimelineLayout;
import io.kallisto.visualizer.model.TraceModel;
import io.kallisto.visualizer.model.ViewState;
import io.kallisto.visualizer.render.Java2DSurface;
import io.kallisto.visualizer.render.TimelineRenderer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The visualizer on the 10M-event trace of {@link TraceLoadBenchmark} (the same cached file):
 *
 * <ul>
 *   <li>{@link Open#open}: {@code TraceModel.load}, both passes, every array built. Target:
 *       under 3 s, in a 1 GiB heap (the fork runs with {@code -Xmx1g}, so a model that did not
 *       fit would fail). After the trial it prints the model's retained heap as a
 *       {@code [side]} line.</li>
 *   <li>{@link Render#render}: one frame of the timeline, 1920 x 1080, into a Java2D image, at
 *       the zoom of the {@code view} parameter: the whole trace (every slice merged into
 *       density bars), 1 ms, 20 us (slices drawn one by one, with labels). Target: under 16 ms
 *       at any zoom.</li>
 * </ul>
 */
public class TraceViewBenchmark {
  private TraceViewBenchmark() {}

  /** Opening the trace. */
  @State(Scope.Benchmark)
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
  @Warmup(iterations = 1)
  @Measurement(iterations = 5)
  public static class Open {
    private TraceLoadBenchmark.TraceFile10M trace;
    private TraceModel last;
    private long baseline;

    /** Finds or makes the trace; notes the heap in use before any model exists. */
    @Setup(Level.Trial)
    public void prepare() {
      trace = TraceLoadBenchmark.findOrMake();
      baseline = usedAfterGc();
    }

    /** Loads the whole trace into the viewer's model. */
    @Benchmark
    public TraceModel open() {
      last = null; // let the previous model go before the next is built
      last = TraceModel.load(trace.file());
      if (last.eventCount() != TraceLoadBenchmark.EVENTS) {
        throw new IllegalStateException("loaded " + last.eventCount() + " events");
      }
      return last;
    }

    /** Prints the heap the last model holds, then deletes a temporary trace. */
    @TearDown(Level.Trial)
    public void report() throws Exception {
      long retained = usedAfterGc() - baseline;
      long slices = 0;
      for (Lane lane : last.lanes()) {
        slices += lane.sliceCount();
      }
      System.out.printf(Locale.ROOT, "%n[side] trace-view: model of %,d events (%,d slices)"
          + " retains %.0f MiB of heap%n", last.eventCount(), slices, retained / 1048576.0);
      last = null;
      if (trace.temporary()) {
        Files.deleteIfExists(trace.file());
      }
    }
  }

  /** Drawing one frame. */
  @State(Scope.Benchmark)
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Djava.awt.headless=true"})
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  public static class Render {
    /** What is visible: the whole trace, or a window of 1 ms or 20 us in its middle. */
    @Param({"whole", "1ms", "20us"})
    public String view;

    private TraceLoadBenchmark.TraceFile10M trace;
    private ViewState state;
    private TimelineLayout layout;
    private Java2DSurface surface;
    private final TimelineRenderer renderer = new TimelineRenderer();

    /** Loads the model once and sets the zoom. */
    @Setup(Level.Trial)
    public void prepare() {
      trace = TraceLoadBenchmark.findOrMake();
      TraceModel model = TraceModel.load(trace.file());
      state = new ViewState(model);
      double middle = (model.firstTime() + model.lastTime()) / 2.0;
      switch (view) {
        case "whole":
          break;
        case "1ms":
          state.show(middle, middle + 1e6);
          break;
        case "20us":
          state.show(middle, middle + 2e4);
          break;
        default:
          throw new IllegalArgumentException("view=" + view + "; use whole, 1ms or 20us");
      }
      surface = new Java2DSurface(1920, 1080);
      layout = state.layout(1920, 1080);
    }

    /** Draws one frame. */
    @Benchmark
    public long render() {
      renderer.draw(state, layout, surface);
      return renderer.stats().slices + renderer.stats().densityBars;
    }

    /** Prints what a frame draws, then deletes a temporary trace. */
    @TearDown(Level.Trial)
    public void report() throws Exception {
      TimelineRenderer.Stats s = renderer.stats();
      System.out.printf(Locale.ROOT, "%n[side] trace-view %s: %,d slices drawn, %,d density"
          + " bars for %,d merged slices%n", view, s.slices, s.densityBars, s.mergedSlices);
      surface.dispose();
      if (trace.temporary()) {
        Files.deleteIfExists(trace.file());
      }
    }
  }

  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
