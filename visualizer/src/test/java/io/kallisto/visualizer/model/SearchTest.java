package io.kallisto.visualizer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.visualizer.DirectRequests;
import io.kallisto.visualizer.TestTraces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Search over everything a trace names, on a real head-of-line-blocking run: request kinds and
 * ids, the names slices are shown by, threads and counters, and the numbering of results.
 */
class SearchTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private static Path file;
  private static TraceModel hol;
  private static DirectRequests requests;

  @BeforeAll
  static void record() {
    // A crowded machine may serve only one sleep request in 300 ms (seen at load 30): the run
    // is recorded again, longer, until it serves enough to count.
    for (Duration length : List.of(Duration.ofMillis(300), Duration.ofSeconds(1),
        Duration.ofSeconds(3))) {
      file = assertTimeoutPreemptively(LIMIT,
          () -> TestTraces.headOfLine(dir.resolve("hol.ktrace"), length));
      requests = DirectRequests.of(file);
      if (requests.ofKind(DirectRequests.SLEEP) > 3) {
        break;
      }
    }
    hol = TraceModel.load(file);
  }

  @Test
  void shouldFindRequestsByTheKindTheTimelinePrints() {
    long sleeps = requests.ofKind(DirectRequests.SLEEP);
    assertTrue(sleeps > 3, "the run served sleep requests: " + sleeps);
    // both sides: the server's slice and the client's span of every answered one
    long both = sleeps + requests.answeredOfKind(DirectRequests.SLEEP);
    assertTrue(both > sleeps, "clients received sleep responses");
    Search s = Search.of(hol, "SLEEP");
    assertEquals(both, s.sliceTotal());
    assertEquals(both, s.total(), "no thread or counter is called sleep");
    for (int k = 0; k < s.total(); k++) {
      Search.Result r = s.result(k);
      Lane lane = hol.lanes().get(r.lane());
      assertEquals("sleep request", SliceDetails.labelOf(hol, lane, r.slice()));
    }
    // "echo" requests are most of the traffic; "request" finds every one, and the rate track
    assertEquals(requests.ofKind(0) + requests.answeredOfKind(0),
        Search.of(hol, "echo").sliceTotal());
    Search all = Search.of(hol, "request");
    assertEquals(requests.ends().size() + requests.answered().size(), all.sliceTotal());
    // the load generator's requests lane, then the rate track
    assertEquals(2, all.trackTotal());
    assertEquals(Search.Kind.THREAD, all.result(0).kind());
    assertTrue(hol.lanes().get(all.result(0).lane()).holdsClientRequests());
    assertEquals(Search.Kind.COUNTER, all.result(1).kind());
    assertEquals("requests/s", hol.counterTracks().get(all.result(1).track()).name());
  }

  @Test
  void shouldFindEveryRequestWithAnIdTypedWithOrWithoutAHash() {
    long[] some = requests.ends().get(requests.ends().size() / 2);
    long id = some[0];
    Search s = Search.of(hol, Long.toString(id));
    // both sides: the server's slice and the client's span
    assertEquals(1, requests.answeredWithId(id));
    assertEquals(requests.withId(id) + 1, s.sliceTotal());
    boolean found = false;
    for (int k = 0; k < s.total(); k++) {
      Search.Result r = s.result(k);
      if (r.kind() == Search.Kind.SLICE) {
        String got = SliceDetails.value(SliceDetails.of(hol, r.sliceRef()),
            SliceDetails.REQUEST_ID);
        if (got != null && got.equals(Long.toString(id))
            && !hol.lanes().get(r.lane()).holdsClientRequests()) {
          found = true;
          assertEquals(some[2], hol.lanes().get(r.lane()).end(r.slice()), "the request's end");
        }
      }
    }
    assertTrue(found, "request " + id + " is among the results");
    assertEquals(s.sliceTotal(), Search.of(hol, "#" + id).sliceTotal());
  }

  @Test
  void shouldListThreadsThenCountersThenSlicesInTimeOrderAndNumberEachOnce() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Search workers = Search.of(hol, "worker");
      List<String> names = new ArrayList<>();
      for (int k = 0; k < workers.trackTotal(); k++) {
        Search.Result r = workers.result(k);
        assertEquals(Search.Kind.THREAD, r.kind());
        names.add(hol.lanes().get(r.lane()).name());
      }
      assertTrue(names.containsAll(List.of("worker-0", "worker-1")), names.toString());
      Search queues = Search.of(hol, "queue depth");
      long withQueue = hol.lanes().stream().filter(l -> l.counters().containsKey("queue depth"))
          .count();
      assertEquals(withQueue, queues.trackTotal(), "one queue depth track per thread");
      assertEquals(Search.Kind.COUNTER, queues.result(0).kind());

      // "poll" finds what the timeline prints on poll slices: every poll and poll wait
      Search polls = Search.of(hol, "poll");
      long want = 0;
      for (Lane lane : hol.lanes()) {
        for (int i = 0; i < lane.sliceCount(); i++) {
          SliceCategory c = lane.category(i);
          if ((c == SliceCategory.POLL || c == SliceCategory.POLL_WAIT) && lane.rowOf(i) >= 0) {
            want++;
          }
        }
      }
      assertEquals(want, polls.sliceTotal());
      long previous = Long.MIN_VALUE;
      for (long k = polls.trackTotal(); k < polls.total(); k++) {
        Search.Result r = polls.result(k);
        long start = hol.lanes().get(r.lane()).start(r.slice());
        assertTrue(start >= previous, "result " + k + " in time order");
        previous = start;
        assertEquals(k, polls.indexOf(r), "result " + k + " numbered where it is");
      }
    });
  }

  @Test
  void shouldStepThroughResultsAndWrapAroundAtBothEnds() {
    ViewState v = new ViewState(hol);
    v.search("sleep");
    long m = v.search().total();
    assertEquals(-1, v.searchIndex());
    v.searchNext();
    assertEquals(0, v.searchIndex(), "the whole trace is in view: the first result");
    assertEquals(v.search().result(0).sliceRef(), v.selection());
    v.searchNext();
    assertEquals(1, v.searchIndex());
    v.searchPrevious();
    v.searchPrevious();
    assertEquals(m - 1, v.searchIndex(), "before the first comes the last");
    v.searchNext();
    assertEquals(0, v.searchIndex(), "after the last comes the first");
    // Selecting a match by hand puts the count on it.
    v.select(v.search().result(3).sliceRef());
    assertEquals(3, v.searchIndex());
  }
}
