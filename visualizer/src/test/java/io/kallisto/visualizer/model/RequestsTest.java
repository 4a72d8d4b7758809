package io.kallisto.visualizer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.visualizer.TestTraces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests end to end on a synthetic trace whose times are exact ({@link TestTraces#blocked}):
 * the client's spans, the join with the server's side, where each request's time went, the work
 * it waited behind, and the slowest requests.
 */
class RequestsTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private static TraceModel model;

  @BeforeAll
  static void load() {
    model = assertTimeoutPreemptively(LIMIT,
        () -> TraceModel.load(TestTraces.blocked(dir.resolve("blocked.ktrace"))));
  }

  private static Lane lane(String name) {
    return model.lanes().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void shouldDrawEachAnsweredRequestAsAClientSpanOnTheLoadThreadsRequestsLane() {
    Lane load = lane("load-0");
    Lane client = lane("load-0 · requests");
    assertEquals(load.index() + 1, client.index(), "right after its thread");
    assertTrue(client.holdsClientRequests());
    assertEquals(2, client.sliceCount(), "request 3 was never answered");
    assertEquals(0, load.sliceCount(), "the thread's own lane keeps its own slices only");
    int first = client.sliceAt(0, 0);
    assertEquals(100, client.start(first));
    assertEquals(20500, client.end(first));
    assertEquals("sleep request", SliceDetails.labelOf(model, client, first),
        "the client learns the kind the server recorded");
  }

  @Test
  void shouldSayHowManyRequestsAreInFlightAtTheCursor() {
    Lane client = lane("load-0 · requests");
    assertEquals("1 request in flight", CursorState.stateOf(model, client, 500));
    assertEquals("2 requests in flight", CursorState.stateOf(model, client, 1500));
    assertEquals("no request in flight", CursorState.stateOf(model, client, 25000));
  }

  @Test
  void shouldJoinBothSidesOfARequestById() {
    Requests r = model.requests();
    assertEquals(2, r.size());
    int k = r.find(2);
    assertTrue(r.joined(k));
    assertEquals(k, r.of(r.client(k)));
    assertEquals(k, r.of(r.server(k)));
    assertEquals(lane("worker-0").index(), r.server(k).lane());
    assertEquals(21700 - 1000, r.latency(k));
    assertEquals(-1, r.find(3), "a request without an answer on either side is not joined");
  }

  @Test
  void shouldSplitAWaitIntoWireAndQueueAndNameTheRequestItWaitedBehind() {
    Requests r = model.requests();
    RequestTiming t = RequestTiming.of(model, r.find(2));
    assertEquals(20700, t.endToEnd());
    // waited from 1000 to 21100: the first read callback [200, 21000) kept the worker busy
    assertEquals(20000, t.queued());
    assertEquals(100, t.toWorker());
    assertEquals(400, t.service());
    assertEquals(200, t.back());
    assertEquals(r.server(r.find(1)), t.blocker(), "the sleep request held the read callback");
    assertEquals(19300, t.blockedFor());
    assertEquals("waited 19.3 µs behind sleep request #1 on worker-0", t.blockerText(model));

    RequestTiming first = RequestTiming.of(model, r.find(1));
    assertEquals(0, first.queued(), "the worker was idle when request 1 arrived");
    assertEquals(200, first.toWorker());
    assertNull(first.blocker());
  }

  @Test
  void shouldShowTheSameLatencyAndBlockerLinkOnEitherSide() {
    Requests r = model.requests();
    int k = r.find(2);
    for (SliceRef side : List.of(r.server(k), r.client(k))) {
      List<SliceDetails.Entry> d = SliceDetails.of(model, side);
      assertEquals("20.7 µs", SliceDetails.value(d, RequestDetails.END_TO_END), side.toString());
      SliceDetails.Entry behind = SliceDetails.entry(d, RequestDetails.WAITED_BEHIND);
      assertNotNull(behind, side.toString());
      assertEquals("waited 19.3 µs behind sleep request #1 on worker-0", behind.value());
      assertEquals(r.server(r.find(1)), behind.slice(), "a link to the blocker");
      SliceDetails.Entry other = SliceDetails.entry(d, RequestDetails.OTHER_SIDE);
      assertEquals(side.equals(r.server(k)) ? r.client(k) : r.server(k), other.slice());
    }
  }

  @Test
  void shouldListTheSlowestRequestsOfARangeSlowestFirst() {
    Requests r = model.requests();
    int[] all = r.slowest(0, 30000, 10);
    assertEquals(2, all.length);
    assertEquals(2, r.id(all[0]), "20.7 µs before 20.4 µs");
    assertEquals(1, r.id(all[1]));
    int[] one = r.slowest(0, 21000, 10);
    assertEquals(1, one.length, "only request 1 ended before 21 µs");
    assertEquals(1, r.slowest(0, 30000, 1).length);
    assertEquals(20700, r.percentile(99));
  }

  @Test
  void shouldNameEachVictimWithItsBlocker() {
    Victims v = Victims.of(model, 0, 30000, Victims.SHOWN);
    assertEquals(2, v.list().size());
    Victims.Victim first = v.list().get(0);
    assertEquals("echo request #2", first.name());
    assertEquals(20700, first.latency());
    assertEquals(model.requests().client(model.requests().find(2)), first.slice(),
        "the victim's own (client) side");
    assertEquals("waited 19.3 µs behind sleep request #1 on worker-0", first.blocker());
    assertNull(v.list().get(1).blocker(), "the sleep request itself waited for nothing");
  }

  @Test
  void shouldColourTheWorkersStripByTheWorstLatencyInFlightInEachStretch() {
    LatencyStrip strip = model.requests().strip();
    int worker = lane("worker-0").index();
    assertTrue(strip.has(worker));
    assertTrue(!strip.has(lane("load-0").index()), "a load generator serves nothing");
    assertEquals(-1, strip.max(worker, 0, 100), "nothing in flight before the first send");
    assertEquals(20400, strip.max(worker, 0, 500), "request 1, in flight from 100");
    assertEquals(20700, strip.max(worker, 0, 2000), "and request 2, from 1000");
    assertEquals(20700, strip.max(worker, 21000, 21001), "request 2 until 21700");
    assertEquals(20400, strip.max(worker, 150, 999), "only request 1 then");
    assertEquals(-1, strip.max(worker, 21700, 30000), "both answered by 21700");
    assertEquals(0, LatencyStrip.heat(50, 100, 1000), 1e-9);
    assertEquals(0.5, LatencyStrip.heat(316, 100, 1000), 1e-3);
    assertEquals(1, LatencyStrip.heat(5000, 100, 1000), 1e-9);
  }

  @Test
  void shouldAnswerTheStripsMaximumOverAnyStretchAsAScanWould() throws Exception {
    int n = 300; // several blocks of 64
    long[] send = new long[n];
    long[] latency = new long[n];
    for (int i = 0; i < n; i++) {
      send[i] = 1000 + i * 100L - (i * 37L % 90);
      latency[i] = 1000 + i * 100L + 60 + (i * 53L % 700) - send[i]; // up to 7 in flight
    }
    Path file = TestTraces.synthetic()
        .thread("worker-0", r -> {
          for (int i = 0; i < n; i++) {
            r.requestBegin(1000 + i * 100L, i + 1, 0).requestEnd(1000 + i * 100L + 50, i + 1);
          }
        })
        .thread("load-0", r -> {
          for (int i = 0; i < n; i++) {
            r.clientSend(send[i], i + 1);
          }
          for (int i = 0; i < n; i++) {
            r.clientReceive(send[i] + latency[i], i + 1);
          }
        })
        .write(dir.resolve("many.ktrace"));
    TraceModel many = TraceModel.load(file);
    LatencyStrip strip = many.requests().strip();
    java.util.Random random = new java.util.Random(17);
    for (int q = 0; q < 2000; q++) {
      long a = random.nextInt(33000);
      long b = a + 1 + random.nextInt(q % 2 == 0 ? 300 : 33000); // a pixel's worth, or more
      long want = -1;
      for (int i = 0; i < n; i++) {
        if (send[i] < b && send[i] + latency[i] > a) { // in flight at some time in [a, b)
          want = Math.max(want, latency[i]);
        }
      }
      assertEquals(want, strip.max(0, a, b), "[" + a + ", " + b + ")");
    }
  }

  @Test
  void shouldFindBothSidesOfARequestByIdAndByKind() {
    Search byId = Search.of(model, "#2");
    assertEquals(2, byId.sliceTotal());
    Search byKind = Search.of(model, "sleep");
    assertEquals(2, byKind.sliceTotal(), "the server's sleep request and the client's");
  }
}
