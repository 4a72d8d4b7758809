package io.kallisto.visualizer.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.trace.CallbackKind;
import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceFile;
import io.kallisto.visualizer.TestTraces;
import io.kallisto.visualizer.model.Instants;
import io.kallisto.visualizer.model.Lane;
import io.kallisto.visualizer.model.TimelineLayout;
import io.kallisto.visualizer.model.TraceModel;
import io.kallisto.visualizer.model.ViewState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dense arrows: on a real run's burst of posts, zoomed out, the arrows between two threads are
 * drawn as a count; zoomed in, as single arrows with heads. Every post is accounted for, once.
 */
class FlowBundleTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final Pattern BUNDLE = Pattern.compile("(\\d+) (posts|slot updates) → (.+)");

  @TempDir static Path dir;
  private static Path file;
  private static TraceModel real;

  @BeforeAll
  static void record() throws Exception {
    file = TestTraces.realRun(dir.resolve("real.ktrace"));
    real = TraceModel.load(file);
  }

  /**
   * From the trace file: {joinable, sent}. Joinable: posts and slot updates whose callback is
   * in the trace (each can be an arrow). Sent: every post to a thread whose loop ran any post
   * callback (a bundle counts these: a post whose callback was not traced was still sent),
   * plus the slot arrows.
   */
  private static long[] flowsInFile() {
    Set<Long> posted = new HashSet<>();
    Set<Long> slotSets = new HashSet<>();
    Set<Long> dispatchers = new HashSet<>();
    long[] n = new long[3]; // post arrows, slot arrows, posts to known threads
    try (TraceFile f = TraceFile.open(file)) {
      f.forEach(e -> {
        if (e.type() == EventType.POST) {
          posted.add(e.b());
        } else if (e.type() == EventType.SLOT_SET) {
          slotSets.add(e.b());
        } else if (e.type() == EventType.CALLBACK && e.callbackKind() == CallbackKind.POST
            && e.b() >= 1L << 40) {
          dispatchers.add(e.b() >>> 40); // a post's flow id names its target dispatcher
        }
      });
      f.forEach(e -> {
        if (e.type() == EventType.CALLBACK && e.b() != 0) {
          if (e.callbackKind() == CallbackKind.POST && posted.contains(e.b())) {
            n[0]++;
          } else if (e.callbackKind() == CallbackKind.SLOT_UPDATE && slotSets.contains(e.b())) {
            n[1]++;
          }
        } else if (e.type() == EventType.POST && dispatchers.contains((long) e.id())) {
          n[2]++;
        }
      });
    }
    return new long[] {n[0] + n[1], n[2] + n[1]};
  }

  @Test
  void shouldDrawDenseArrowsAsACountZoomedOutAndSingleArrowsZoomedIn() {
    assertTimeoutPreemptively(LIMIT, () -> {
      ViewState s = new ViewState(real);
      s.setAllFlows(true);
      RecordingSurface g = new RecordingSurface(1400, 800);
      TimelineRenderer r = new TimelineRenderer();
      r.draw(s, s.layout(1400, 800), g);
      TimelineRenderer.Stats whole = r.stats();
      assertTrue(whole.bundles > 0, "the burst of " + TestTraces.REAL_POSTS
          + " posts is drawn as bundles when the whole run is in view");
      long labelled = 0;
      for (RecordingSurface.Text t : g.texts) {
        Matcher m = BUNDLE.matcher(t.text());
        if (m.matches()) {
          int count = Integer.parseInt(m.group(1));
          assertTrue(count >= FlowRenderer.MIN_BUNDLE, "a bundle is several posts: " + t.text());
          assertTrue(real.lanes().stream().anyMatch(l -> l.name().equals(m.group(3))),
              "names the receiving thread: " + t.text());
          labelled += count;
        }
      }
      assertEquals(0, whole.unlabelledBundles);
      assertEquals(whole.bundledFlows, labelled, "every bundle says how many it holds");
      long[] want = flowsInFile();
      long drawn = whole.bundledFlows + whole.arrows;
      assertTrue(drawn >= want[0] && drawn <= want[1], "each post is in a bundle or drawn alone,"
          + " once: " + drawn + " of " + want[0] + " with callbacks, " + want[1] + " sent");

      // Zoomed in to a few microseconds around one post, its arrow is drawn on its own.
      Lane sender = real.lanes().stream().filter(l -> l.posts().size() > 100).findFirst()
          .orElseThrow();
      Instants posts = sender.posts();
      long t = posts.time(posts.size() / 2);
      s.show(t - 2_000, t + 8_000);
      TimelineLayout layout = s.layout(1400, 800);
      r.draw(s, layout, new RecordingSurface(1400, 800));
      assertEquals(0, r.stats().bundles, "no bundle within 10 µs");
      assertTrue(r.stats().arrows >= 1, "single arrows: " + r.stats().arrows);
    });
  }
}
