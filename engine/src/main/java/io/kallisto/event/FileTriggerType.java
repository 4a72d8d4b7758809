package io.kallisto.event;

/** How a {@link FileEvent} reports readiness. */
public enum FileTriggerType {
  /** Reported on every iteration while the fd stays ready ({@code epoll} without EPOLLET). */
  LEVEL,
  /**
   * Reported once per change of readiness ({@code EPOLLET}). The callback must read or write
   * until {@code EAGAIN}, or it will not hear of the fd again.
   */
  EDGE
}
