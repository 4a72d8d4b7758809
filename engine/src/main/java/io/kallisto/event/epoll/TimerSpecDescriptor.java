package io.kallisto.event.epoll;

/**
 * The layout of {@code struct itimerspec} as {@code timerfd_settime} reads it on 64-bit Linux.
 *
 * <pre>
 *   0              8              16             24             32
 *   +--------------+--------------+--------------+--------------+
 *   | interval sec | interval nsec| value sec    | value nsec   |
 *   +--------------+--------------+--------------+--------------+
 *   each field a 64-bit signed integer (time_t, long)
 * </pre>
 *
 * <p>Kallisto arms one-shot timers only, so the interval stays zero; an all-zero value disarms.
 */
public final class TimerSpecDescriptor {
  /** Size of the struct in bytes. */
  public static final int SIZE = 32;

  public static final int INTERVAL_SEC_OFFSET = 0;
  public static final int INTERVAL_NSEC_OFFSET = 8;
  public static final int VALUE_SEC_OFFSET = 16;
  public static final int VALUE_NSEC_OFFSET = 24;

  private TimerSpecDescriptor() {}
}
