package io.kallisto.visualizer.model;

import java.util.List;

/**
 * The details of a selected request, on either side: which side it is, a link to the other
 * side, and where its time went ({@link RequestTiming}), with the work it waited behind as a
 * link. Both sides show the same figures, so a student can start from the victim (a slow client
 * span) or from the server.
 */
final class RequestDetails {
  static final String SIDE = "Side";
  static final String OTHER_SIDE = "Other side";
  static final String END_TO_END = "End to end";
  static final String TO_WORKER = "To the worker";
  static final String QUEUED = "Queued on worker";
  static final String SERVICE = "Service";
  static final String BACK = "Back to client";
  static final String WAITED_BEHIND = "Waited behind";

  private RequestDetails() {}

  /** Adds the request entries of request slice {@code ref} to {@code out}. */
  static void addTo(TraceModel model, SliceRef ref, List<SliceDetails.Entry> out) {
    Requests requests = model.requests();
    int k = requests.of(ref);
    if (k < 0) {
      return;
    }
    long origin = model.firstTime();
    boolean client = model.lanes.get(ref.lane()).clientRequests;
    out.add(new SliceDetails.Entry(SIDE, client ? "client (sent to response)"
        : "server (began to answered)"));
    SliceRef other = client ? requests.server(k) : requests.client(k);
    if (other == null) {
      out.add(new SliceDetails.Entry(OTHER_SIDE, client ? "not in the trace"
          : "not in the trace (no traced client sent it)"));
    } else {
      Lane lane = model.lanes.get(other.lane());
      out.add(new SliceDetails.Entry(OTHER_SIDE, (client ? "server on " : "client on ")
          + lane.name() + " at " + TimeFormat.precise(lane.start(other.slice()) - origin),
          other, null));
    }
    RequestTiming t = RequestTiming.of(model, k);
    if (t.endToEnd() >= 0) {
      out.add(new SliceDetails.Entry(END_TO_END, TimeFormat.duration(t.endToEnd())));
      out.add(new SliceDetails.Entry(TO_WORKER, TimeFormat.duration(t.toWorker())
          + " (wire, kernel, read)"));
      out.add(new SliceDetails.Entry(QUEUED, TimeFormat.duration(t.queued())
          + " (behind other work)"));
    }
    if (t.service() >= 0) {
      out.add(new SliceDetails.Entry(SERVICE, TimeFormat.duration(t.service())));
    }
    if (t.back() >= 0) {
      out.add(new SliceDetails.Entry(BACK, TimeFormat.duration(t.back())));
    }
    String blocker = t.blockerText(model);
    if (blocker != null) {
      out.add(new SliceDetails.Entry(WAITED_BEHIND, blocker, t.blocker(), null));
    }
  }
}
