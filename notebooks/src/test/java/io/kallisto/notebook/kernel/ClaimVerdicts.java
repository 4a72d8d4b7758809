package io.kallisto.notebook.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kallisto.notebook.Claim;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The verdicts an executed notebook recorded: every output whose metadata holds a
 * {@value Claim#METADATA_KEY}, in cell order. How the notebook test tells a lesson whose
 * mechanism claims failed from one that merely ran on a busy machine.
 */
final class ClaimVerdicts {
  /** One recorded claim: its cell (0-based), kind, verdict, sentence and reason ("" if none). */
  record Verdict(int cell, String kind, String verdict, String claim, String reason) {
    boolean failedDesign() {
      return kind.equals("design") && !verdict.equals(Claim.AS_PREDICTED);
    }

    @Override
    public String toString() {
      return "cell " + cell + " [" + verdict + "] " + kind + ": " + claim
          + (reason.isEmpty() ? "" : " (likely reason: " + reason + ")");
    }
  }

  private ClaimVerdicts() {}

  /** Reads the claims of an executed notebook. */
  static List<Verdict> read(Path notebook) {
    JsonNode cells;
    try {
      cells = new ObjectMapper().readTree(notebook.toFile()).path("cells");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read notebook " + notebook, e);
    }
    List<Verdict> out = new ArrayList<>();
    for (int i = 0; i < cells.size(); i++) {
      for (JsonNode output : cells.get(i).path("outputs")) {
        JsonNode c = output.path("metadata").path(Claim.METADATA_KEY);
        if (!c.isMissingNode()) {
          out.add(new Verdict(i, c.path("kind").asText(), c.path("verdict").asText(),
              c.path("claim").asText(), c.path("reason").asText("")));
        }
      }
    }
    return out;
  }

  /**
   * Fails, listing them, when any design claim of {@code notebook} did not hold: those follow
   * from the mechanism and must hold on any machine at any load.
   */
  static void assertDesignClaimsHeld(Path notebook, List<Verdict> verdicts) {
    List<Verdict> failed = verdicts.stream().filter(Verdict::failedDesign).toList();
    if (!failed.isEmpty()) {
      StringBuilder b = new StringBuilder(notebook.getFileName() + ": " + failed.size()
          + " design claim(s) did not hold; they follow from the mechanism, so this is a bug:");
      failed.forEach(v -> b.append("\n  ").append(v));
      throw new AssertionError(b.toString());
    }
  }
}
