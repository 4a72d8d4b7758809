package io.kallisto.net;

/**
 * Buffer sizes of a {@link Connection}.
 *
 * @param readBufferBytes size of the fixed direct buffer each read fills
 * @param highWatermarkBytes stop reading when more than this waits to be written
 * @param lowWatermarkBytes read again once no more than this waits to be written
 * @param sendBufferBytes the kernel's send buffer for the socket ({@code SO_SNDBUF}), or 0 to
 *     leave the kernel's default (which loopback autotunes up to megabytes); a small one makes
 *     partial writes and back-pressure easy to see
 */
public record ConnectionConfig(int readBufferBytes, int highWatermarkBytes,
    int lowWatermarkBytes, int sendBufferBytes) {
  /**
   * 64 KiB reads (one loopback segment burst); 1 MiB high watermark as Envoy's default
   * per-connection buffer limit ({@code per_connection_buffer_limit_bytes} in
   * api/envoy/config/listener/v3/listener.proto), and half that as low watermark.
   */
  public static final ConnectionConfig DEFAULT =
      new ConnectionConfig(64 * 1024, 1024 * 1024, 512 * 1024);

  /** Sizes with the kernel's default send buffer. */
  public ConnectionConfig(int readBufferBytes, int highWatermarkBytes, int lowWatermarkBytes) {
    this(readBufferBytes, highWatermarkBytes, lowWatermarkBytes, 0);
  }

  /** This configuration with a kernel send buffer of {@code bytes} (0 for the default). */
  public ConnectionConfig withSendBuffer(int bytes) {
    return new ConnectionConfig(readBufferBytes, highWatermarkBytes, lowWatermarkBytes, bytes);
  }

  /** Checks the sizes. */
  public ConnectionConfig {
    if (sendBufferBytes < 0) {
      throw new IllegalArgumentException("sendBufferBytes=" + sendBufferBytes + " must be >= 0");
    }
    if (readBufferBytes <= 0) {
      throw new IllegalArgumentException("readBufferBytes=" + readBufferBytes + " must be > 0");
    }
    if (lowWatermarkBytes < 0 || lowWatermarkBytes >= highWatermarkBytes) {
      throw new IllegalArgumentException("lowWatermarkBytes=" + lowWatermarkBytes
          + " must be >= 0 and below highWatermarkBytes=" + highWatermarkBytes);
    }
  }
}
