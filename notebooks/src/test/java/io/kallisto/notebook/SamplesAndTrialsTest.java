package io.kallisto.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

class SamplesAndTrialsTest {
  @Test
  void samplesGiveMedianRangeAndReadableText() {
    Samples s = Samples.of("µs", 30, 10, 20, 40);
    assertEquals(25, s.median());
    assertEquals(10, s.min());
    assertEquals(40, s.max());
    assertEquals("25 µs (10–40 over 4 runs)", s.toString());
    assertTrue(Samples.of("", 1, 2).below(Samples.of("", 3, 4)));
    assertFalse(Samples.of("", 1, 3).below(Samples.of("", 3, 4)), "touching ranges overlap");
    assertThrows(IllegalArgumentException.class, () -> Samples.of("µs"));
  }

  @Test
  void trialsWarmUpThenRunEverySetupOncePerRoundInARotatingOrder() throws Exception {
    List<String> calls = new ArrayList<>();
    Map<String, Callable<Integer>> setups = new LinkedHashMap<>();
    int[] n = {0};
    for (String name : List.of("a", "b", "c")) {
      setups.put(name, () -> {
        calls.add(name);
        return n[0]++;
      });
    }
    Trials<Integer> t = Trials.run(3, 1, setups);
    // The warm-up round (a b c) is not recorded; then b c a, c a b, a b c.
    assertEquals(List.of("a", "b", "c", "b", "c", "a", "c", "a", "b", "a", "b", "c"), calls);
    assertEquals(List.of(5, 7, 9), t.runs("a"));
    assertEquals(List.of(3, 8, 10), t.runs("b"));
    Table table = t.table("run number", "", x -> x);
    assertEquals(List.of("a", "b", "c"), table.labels("setup"));
    assertEquals(7, table.column("run number median")[0]);
    assertThrows(IllegalArgumentException.class, () -> t.runs("d"));
  }
}
