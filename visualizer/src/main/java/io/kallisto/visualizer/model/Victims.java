package io.kallisto.visualizer.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The victims view of a range: its slowest requests, slowest first, each with the work it
 * waited behind. Head-of-line blocking reads straight off it: the slowest echo requests all
 * name the same sleep request.
 *
 * <pre>{@code
 * for (Victims.Victim v : Victims.of(model, from, to, 10).list()) {
 *   System.out.println(v.text());  // echo request #7 20.4 ms: waited 19.9 ms behind sleep ...
 * }
 * }</pre>
 */
public final class Victims {
  /** How many the range statistics list. */
  public static final int SHOWN = 10;

  /**
   * One slow request.
   *
   * @param request its position in {@link TraceModel#requests()}
   * @param latency end to end (server time if no client side), ns
   * @param slice the side to select: the client's span if known, else the server's slice
   * @param name {@code echo request #7}
   * @param blocker the blocker, as the details name it ({@code waited ... behind ...}), or
   *     {@code null}
   * @param blockerSlice the blocker, to select, or {@code null}
   */
  public record Victim(int request, long latency, SliceRef slice, String name, String blocker,
      SliceRef blockerSlice) {}

  private final List<Victim> list;

  private Victims(List<Victim> list) {
    this.list = list;
  }

  /** The {@code n} slowest requests that ended in {@code [from, to)}. */
  public static Victims of(TraceModel model, long from, long to, int n) {
    Requests r = model.requests();
    List<Victim> out = new ArrayList<>();
    for (int k : r.slowest(from, to, n)) {
      RequestTiming t = RequestTiming.of(model, k);
      SliceRef side = r.client(k) != null ? r.client(k) : r.server(k);
      out.add(new Victim(k, r.latency(k), side, r.label(k) + " #" + r.id(k),
          t.blockerText(model), t.blocker()));
    }
    return new Victims(Collections.unmodifiableList(out));
  }

  /** Slowest first. */
  public List<Victim> list() {
    return list;
  }
}
