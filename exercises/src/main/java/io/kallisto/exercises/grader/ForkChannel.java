package io.kallisto.exercises.grader;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The line format of the results channel between a test JVM ({@link ForkMain}) and the grader,
 * and its authentication. Each line the runner writes is signed with a key that only the grader
 * and the runner hold, so that a line written by the student's code on the same channel (the
 * test JVM's fd 1, which any code in it can open) is recognised as not the runner's:
 *
 * <pre>
 * R &lt;TAB&gt; seq &lt;TAB&gt; status &lt;TAB&gt; class &lt;TAB&gt; method &lt;TAB&gt; feedback &lt;TAB&gt; mac
 *
 *   seq       0, 1, 2, ...: a line out of order (a replay, a dropped line) is refused
 *   status    HELLO (the runner started, before any test class loaded), PASS, FAIL,
 *             DONE (the launcher returned)
 *   mac       hex HMAC-SHA256 over "seq TAB status TAB class TAB method TAB feedback"
 * </pre>
 *
 * No field holds a tab or a line break ({@link #clean}), so the signed text is unambiguous.
 *
 * <p>The key is {@link #KEY_BYTES} random bytes, written by the grader as one hex line on the
 * test JVM's stdin and read by the runner before any test class is loaded. It never enters a
 * system property, the environment, a file or the command line. Runner-side class: depends only
 * on the JDK. Not thread-safe: one signer per runner, one verifier per test JVM.
 */
public final class ForkChannel {
  /** The key's length in bytes. */
  public static final int KEY_BYTES = 32;
  /** The longest line the grader reads; a longer one cannot be the runner's. */
  public static final int MAX_LINE = 8192;

  /** What a signed line reports. */
  public enum Status { HELLO, PASS, FAIL, DONE }

  /** One verified line. */
  public record Line(long seq, Status status, String testClass, String method,
      String feedback) {}

  private static final String ALGORITHM = "HmacSHA256";
  private static final int FEEDBACK_CHARS = 800;

  private final Mac mac;
  private long seq;

  private ForkChannel(byte[] key) {
    try {
      mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " unavailable: " + e, e);
    }
  }

  /** A fresh random key, as the hex line to write on the test JVM's stdin (without newline). */
  public static String newKey() {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return HexFormat.of().formatHex(key);
  }

  /**
   * The channel for {@code hexKey}: signs (runner side) or verifies (grader side) the lines of
   * one test JVM, counting their sequence from 0.
   *
   * @throws IllegalArgumentException if the key is not {@link #KEY_BYTES} hex bytes
   */
  public static ForkChannel keyed(String hexKey) {
    byte[] key;
    try {
      key = HexFormat.of().parseHex(hexKey.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("results channel key: not hex", e);
    }
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("results channel key: " + key.length + " bytes, expected "
          + KEY_BYTES);
    }
    ForkChannel channel = new ForkChannel(key);
    java.util.Arrays.fill(key, (byte) 0);
    return channel;
  }

  /** The next signed line (with its newline) reporting {@code status}; advances the sequence. */
  public String sign(Status status, String testClass, String method, String feedback) {
    String body = seq + "\t" + status + "\t" + clean(testClass, 200) + "\t" + clean(method, 200)
        + "\t" + clean(feedback, FEEDBACK_CHARS);
    seq++;
    return "R\t" + body + "\t" + hmac(body) + "\n";
  }

  /**
   * The line if the runner signed it with this channel's key and it is the next in sequence
   * (which then advances), else null: a line the student's code wrote, a replay, or a damaged
   * one.
   */
  public Line verify(String line) {
    if (!line.startsWith("R\t")) {
      return null;
    }
    int last = line.lastIndexOf('\t');
    String body = line.substring(2, last);
    byte[] claimed;
    try {
      claimed = HexFormat.of().parseHex(line.substring(last + 1));
    } catch (IllegalArgumentException e) {
      return null;
    }
    // Constant time: a forger learns nothing from how long a refusal took.
    if (!MessageDigest.isEqual(claimed, mac.doFinal(body.getBytes(StandardCharsets.UTF_8)))) {
      return null;
    }
    String[] f = body.split("\t", -1);
    if (f.length != 5 || !f[0].equals(Long.toString(seq))) {
      return null;
    }
    Status status;
    try {
      status = Status.valueOf(f[1]);
    } catch (IllegalArgumentException e) {
      return null;
    }
    seq++;
    return new Line(Long.parseLong(f[0]), status, f[2], f[3], f[4]);
  }

  /** {@code text} on one line with no tab, at most {@code max} characters. */
  static String clean(String text, int max) {
    String t = text == null ? "" : text.replace('\t', ' ').replace("\r", "")
        .replace("\n", " | ");
    return t.length() > max ? t.substring(0, max) + "..." : t;
  }

  private String hmac(String body) {
    return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }
}
