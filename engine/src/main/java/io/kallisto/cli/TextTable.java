package io.kallisto.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plain-text table in the style of the demo's: a header, a rule, then rows; the first column
 * left-aligned, the others right-aligned, each as wide as its widest cell.
 *
 * <pre>{@code
 * TextTable t = new TextTable("thread", "count", "p50 (us)");
 * t.row("worker-0", "1,024", "3.2");
 * t.print(out);
 * }</pre>
 */
final class TextTable {
  private final String[] headers;
  private final List<String[]> rows = new ArrayList<>();
  private final java.util.BitSet leftAligned = new java.util.BitSet();

  TextTable(String... headers) {
    this.headers = headers;
  }

  /** Aligns {@code column} to the left, as text reads, rather than to the right as numbers. */
  TextTable alignLeft(int column) {
    leftAligned.set(column);
    return this;
  }

  /** Adds a row; it must have one cell per header. */
  TextTable row(String... cells) {
    if (cells.length != headers.length) {
      throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of "
          + headers.length + " columns");
    }
    rows.add(cells);
    return this;
  }

  /** True if no row was added. */
  boolean isEmpty() {
    return rows.isEmpty();
  }

  /** Prints the header, a rule and the rows. */
  void print(PrintWriter out) {
    int[] widths = new int[headers.length];
    for (int c = 0; c < headers.length; c++) {
      widths[c] = headers[c].length();
      for (String[] r : rows) {
        widths[c] = Math.max(widths[c], r[c].length());
      }
    }
    String header = line(headers, widths);
    out.println(header);
    out.println("-".repeat(header.length()));
    for (String[] r : rows) {
      out.println(line(r, widths));
    }
  }

  /** A count with thousands separators, as every table here shows them. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private String line(String[] cells, int[] widths) {
    StringBuilder s = new StringBuilder();
    for (int c = 0; c < cells.length; c++) {
      if (c > 0) {
        s.append("  ");
      }
      String pad = " ".repeat(widths[c] - cells[c].length());
      s.append(c == 0 || leftAligned.get(c) ? cells[c] + pad : pad + cells[c]);
    }
    return s.toString().stripTrailing();
  }
}
