package io.kallisto.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.RunType;
import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceFile;
import io.kallisto.trace.Tracing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A window around a burst: the first posts of a thread and the callbacks they caused. */
class PostWindowsTest {
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final int BURST = 100;

  @TempDir
  static Path dir;
  static Path trace;
  static final List<Long> callbackEnds = new ArrayList<>();

  /** One loop, asleep, then a burst of posts from a thread named "burster". */
  @BeforeAll
  static void recordABurst() {
    trace = dir.resolve("burst.ktrace");
    assertTimeoutPreemptively(BOUND, () -> {
      Tracing.start(trace);
      try (Dispatcher d = Dispatchers.create("burst")) {
        Thread loop = new Thread(() -> d.run(RunType.RUN_UNTIL_EXIT), "burst-loop");
        loop.start();
        CountDownLatch all = new CountDownLatch(BURST);
        Thread burster = new Thread(() -> {
          while (!d.isAsleep()) {
            LockSupport.parkNanos(50_000);
          }
          for (int i = 0; i < BURST; i++) {
            d.post(() -> {
              callbackEnds.add(System.nanoTime()); // the loop thread only
              all.countDown();
            });
          }
        }, "burster");
        burster.start();
        burster.join();
        all.await();
        d.exit();
        loop.join();
      } finally {
        Tracing.stop();
      }
    });
  }

  @Test
  void theWindowRunsFromTheFirstPostToTheEndOfTheLastCallbackOfTheFirstN() {
    Window w = PostWindows.firstPosts(trace, "burster", 20);
    long firstPost;
    long origin;
    try (TraceFile t = TraceFile.open(trace)) {
      origin = t.firstTime();
      long[] first = {Long.MAX_VALUE};
      t.forEach(e -> {
        if (e.type() == EventType.POST && t.threads().get(e.thread()).equals("burster")) {
          first[0] = Math.min(first[0], e.time());
        }
      });
      firstPost = first[0];
    }
    assertTrue(w.from().toNanos() <= firstPost - origin, "window " + w + " starts by the first post");
    // The 20th callback ended (its traced end) no later than its recorded time here plus the
    // tracing between them: the window must reach at least the 20th callback's start.
    assertTrue(w.to().toNanos() >= callbackEnds.get(19) - origin - 1_000_000L,
        "window " + w + " reaches the 20th callback");
    Matcher m = Pattern.compile("burster's first 20 posts: (\\d+) wrote a wakeup, (\\d+) found"
        + " the loop awake; 20 callbacks ran").matcher(w.why());
    assertTrue(m.find(), w.why());
    assertEquals(20, Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2)), w.why());
  }

  @Test
  void askingForMorePostsThanWereMadeTakesThemAll() {
    Window w = PostWindows.firstPosts(trace, "burster", 10_000);
    assertTrue(w.why().startsWith("burster's first " + BURST + " posts: "), w.why());
    assertTrue(w.why().contains(BURST + " callbacks ran"), w.why());
  }

  @Test
  void badArgumentsAreNamed() {
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> PostWindows.firstPosts(trace, "burster", 0));
    assertTrue(none.getMessage().contains("posts=0"), none.getMessage());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> PostWindows.firstPosts(trace, "nobody", 5));
    assertTrue(missing.getMessage().contains("no thread 'nobody'")
        && missing.getMessage().contains("burster"), missing.getMessage());
    IllegalArgumentException silent = assertThrows(IllegalArgumentException.class,
        () -> PostWindows.firstPosts(trace, "burst-loop", 5));
    assertTrue(silent.getMessage().contains("burst-loop made no post"), silent.getMessage());
  }
}
