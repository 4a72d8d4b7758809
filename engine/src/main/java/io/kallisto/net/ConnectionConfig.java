package io.kallisto.net;

/**
 * Buffer sizes of a {@link Connection}.
 *
 * @param readBufferBytes size of the fixed direct buffer each read fills
 * @param highWatermarkBytes stop reading when more than this waits to be written
 * @param lowWatermarkBytes read again once no more than this waits to be written
 */
public record ConnectionConfig(int readBufferBytes, int highWatermarkBytes,
    int lowWatermarkBytes) {
  /**
   * 64 KiB reads (one loopback segment burst); 1 MiB high watermark as Envoy's default
   * per-connection buffer limit, and half that as low watermark, as Envoy derives it.
   */
  public static final ConnectionConfig DEFAULT =
      new ConnectionConfig(64 * 1024, 1024 * 1024, 512 * 1024);

  /** Checks the sizes. */
  public ConnectionConfig {
    if (readBufferBytes <= 0) {
      throw new IllegalArgumentException("readBufferBytes=" + readBufferBytes + " must be > 0");
    }
    if (lowWatermarkBytes < 0 || lowWatermarkBytes >= highWatermarkBytes) {
      throw new IllegalArgumentException("lowWatermarkBytes=" + lowWatermarkBytes
          + " must be >= 0 and below highWatermarkBytes=" + highWatermarkBytes);
    }
  }
}
