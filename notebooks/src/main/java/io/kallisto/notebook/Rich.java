package io.kallisto.notebook;

import java.util.Map;

/**
 * A value that knows how to show itself in a notebook: one representation per MIME type, richest
 * first. The Kallisto kernel shows any {@code Rich} value, whether it is a cell's last expression
 * or passed to {@link Notebook#display(Object)}; {@link Object#toString()} stays plain text.
 *
 * <pre>{@code
 * Rich hello = Notebook.html("<b>hello</b>");
 * hello.mimeBundle();   // {text/html=<b>hello</b>, text/plain=hello}
 * }</pre>
 *
 * <p><b>Note:</b> {@code image/png} values are base64 text, as Jupyter's protocol carries them.
 */
public interface Rich {
  /** MIME type to content, in preference order; always has {@code text/plain}. */
  Map<String, String> mimeBundle();

  /**
   * What the output's {@code metadata} in the notebook file records besides the content: JSON
   * values (maps, lists, strings, numbers, booleans). {@link Claim} records its verdict here,
   * which is how a test reads a notebook's verdicts. None by default.
   */
  default Map<String, Object> metadata() {
    return Map.of();
  }
}
