package io.kallisto;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this build, for the CLI and trace headers. */
public final class KallistoVersion {
  private static final String VERSION = load();

  private KallistoVersion() {}

  /** The Maven project version, or {@code "unknown"} outside a build. */
  public static String get() {
    return VERSION;
  }

  private static String load() {
    Properties p = new Properties();
    try (InputStream in = KallistoVersion.class.getResourceAsStream("kallisto.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException ignored) {
      // informative only
    }
    return p.getProperty("version", "unknown");
  }
}
