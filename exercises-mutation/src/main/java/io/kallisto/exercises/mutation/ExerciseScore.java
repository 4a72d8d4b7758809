package io.kallisto.exercises.mutation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * One exercise's mutation score, read from the {@code mutations.xml} PIT wrote for it. The score
 * is PIT's: detected mutants (killed, timed out, out of memory, run error) over all mutants, so
 * that a mutant no test covers counts against it, as it does for PIT's {@code mutationThreshold}.
 */
public record ExerciseScore(String exercise, List<Mutant> mutants) {

  /** Reads {@code mutationsXml}; fails, naming the file, if it is missing or not PIT's XML. */
  public static ExerciseScore read(String exercise, Path mutationsXml) throws IOException {
    if (!Files.isRegularFile(mutationsXml)) {
      throw new IOException("no PIT report for " + exercise + ": expected " + mutationsXml
          + " (did its pitest-maven execution run?)");
    }
    Document doc;
    try (InputStream in = Files.newInputStream(mutationsXml)) {
      doc = parser().parse(in);
    } catch (SAXException | ParserConfigurationException e) {
      throw new IOException("not a PIT mutations.xml: " + mutationsXml + ": " + e.getMessage(), e);
    }
    List<Mutant> mutants = new ArrayList<>();
    NodeList nodes = doc.getDocumentElement().getElementsByTagName("mutation");
    for (int i = 0; i < nodes.getLength(); i++) {
      Element m = (Element) nodes.item(i);
      mutants.add(new Mutant(text(m, "mutatedClass"), text(m, "mutatedMethod"),
          Integer.parseInt(text(m, "lineNumber")), text(m, "mutator"), text(m, "description"),
          m.getAttribute("status"), Boolean.parseBoolean(m.getAttribute("detected"))));
    }
    return new ExerciseScore(exercise, List.copyOf(mutants));
  }

  /** The mutants PIT counts as detected. */
  public long killed() {
    return mutants.stream().filter(Mutant::detected).count();
  }

  /** Every mutant not detected (SURVIVED and NO_COVERAGE), in report order. */
  public List<Mutant> survivors() {
    return mutants.stream().filter(m -> !m.detected()).toList();
  }

  /** Killed over all, in percent; 100 when there are no mutants at all. */
  public double percent() {
    return mutants.isEmpty() ? 100.0 : 100.0 * killed() / mutants.size();
  }

  /** How many mutants ended in each status, by status name. */
  public Map<String, Long> byStatus() {
    Map<String, Long> counts = new TreeMap<>();
    mutants.forEach(m -> counts.merge(m.status(), 1L, Long::sum));
    return counts;
  }

  /**
   * The build-log line: {@code mutation score ex2: 38/40 killed = 95.0 % (KILLED 35,
   * SURVIVED 2, TIMED_OUT 3); threshold 90 %}.
   */
  public String summaryLine(int threshold) {
    StringBuilder statuses = new StringBuilder();
    byStatus().forEach((status, n) -> statuses.append(statuses.length() == 0 ? "" : ", ")
        .append(status).append(' ').append(n));
    return String.format(java.util.Locale.ROOT,
        "mutation score %s: %d/%d killed = %.1f %% (%s); threshold %d %%%s", exercise, killed(),
        mutants.size(), percent(), statuses, threshold,
        percent() < 90.0 ? "; under the 90 % goal" : "");
  }

  private static DocumentBuilder parser() throws ParserConfigurationException {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    // PIT's report is plain XML: no DTD, no external entities.
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder();
  }

  private static String text(Element parent, String tag) {
    NodeList l = parent.getElementsByTagName(tag);
    Node n = l.getLength() == 0 ? null : l.item(0);
    return n == null ? "" : n.getTextContent().trim();
  }
}
