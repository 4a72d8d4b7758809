package io.kallisto.exercises.workers;

import java.util.ArrayList;
import java.util.List;

/** A {@link RequestErrorHandler} that records every call, for the tests to look at. */
final class RecordingErrors implements RequestErrorHandler {
  /** One call: which worker said so, what was thrown, and the thread the handler ran on. */
  record Report(String worker, Throwable error, String thread) {}

  private final List<Report> reports = new ArrayList<>();

  @Override
  public synchronized void requestFailed(String workerName, Throwable error) {
    reports.add(new Report(workerName, error, Thread.currentThread().getName()));
  }

  /** The calls so far, in order. */
  synchronized List<Report> reports() {
    return new ArrayList<>(reports);
  }
}
