package io.kallisto.event.epoll;

/**
 * The layout of {@code struct sockaddr_in} (IPv4), the same on every Linux architecture.
 *
 * <pre>
 *   0               2               4                               8                  16
 *   +---------------+---------------+-------------------------------+------------------+
 *   | family (u16,  | port (u16,    | address (u32, network order)  | zero padding     |
 *   | AF_INET=2,    | network order)| 127.0.0.1 = 7f 00 00 01       | (8 bytes)        |
 *   | host order)   |               |                               |                  |
 *   +---------------+---------------+-------------------------------+------------------+
 * </pre>
 */
public final class SockaddrInDescriptor {
  /** Size of the struct in bytes. */
  public static final int SIZE = 16;
  public static final int FAMILY_OFFSET = 0;
  public static final int PORT_OFFSET = 2;
  public static final int ADDRESS_OFFSET = 4;

  private SockaddrInDescriptor() {}
}
