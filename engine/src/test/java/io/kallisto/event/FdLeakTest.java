package io.kallisto.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.File;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FdLeakTest {
  private static int openFds() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }

  @Test
  void tenThousandCreateCloseCyclesLeaveTheOpenFdCountUnchanged() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      // Warm up: JNA and class loading open their own fds once.
      Dispatchers.create("warm").close();
      int before = openFds();
      for (int i = 0; i < 10_000; i++) {
        Dispatcher d = Dispatchers.create("cycle");
        d.createTimer(() -> { }).enable(Duration.ofMillis(1));
        d.post(() -> { });
        d.run(RunType.NON_BLOCK);
        d.close();
      }
      assertEquals(before, openFds());
    });
  }
}
