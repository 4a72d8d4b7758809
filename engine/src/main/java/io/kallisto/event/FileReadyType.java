package io.kallisto.event;

/**
 * The readiness bits a {@link FileEvent} is registered for and a {@link FileReadyCallback}
 * receives. Combine them with {@code |}. The values are Envoy's ({@code FileReadyType},
 * envoy/event/file_event.h).
 */
public final class FileReadyType {
  /** The fd is readable, or has an error or hang-up that a read will report. */
  public static final int READ = 0x1;
  /** The fd is writable, or has an error that a write will report. */
  public static final int WRITE = 0x2;
  /** The peer closed its end ({@code EPOLLRDHUP} or {@code EPOLLHUP}). */
  public static final int CLOSED = 0x4;

  /** Every valid bit. */
  public static final int ALL = READ | WRITE | CLOSED;

  private FileReadyType() {}

  /** Throws {@link IllegalArgumentException} unless {@code events} holds only valid bits. */
  public static int check(int events) {
    if ((events & ~ALL) != 0) {
      throw new IllegalArgumentException(
          "events=0x" + Integer.toHexString(events)
              + " has bits outside READ (0x1), WRITE (0x2) and CLOSED (0x4)");
    }
    return events;
  }

  /** A readable form such as {@code "READ|CLOSED"}, or {@code "NONE"}. */
  public static String toString(int events) {
    if (events == 0) {
      return "NONE";
    }
    StringBuilder sb = new StringBuilder();
    if ((events & READ) != 0) sb.append("READ|");
    if ((events & WRITE) != 0) sb.append("WRITE|");
    if ((events & CLOSED) != 0) sb.append("CLOSED|");
    return sb.substring(0, sb.length() - 1);
  }
}
