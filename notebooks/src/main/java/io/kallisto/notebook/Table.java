package io.kallisto.notebook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small table of results, shown as HTML in a notebook and as aligned text elsewhere. Numbers
 * are formatted with thousands separators; doubles get one decimal place.
 *
 * <pre>{@code
 * Table t = Table.of("workers", "req/s", "p99 µs");
 * t.row(1, 41_000, 230.5);
 * t.row(2, 80_000, 310.2);
 * t;                                  // shown as an HTML table
 * double[] rates = t.column("req/s"); // for a chart
 * }</pre>
 */
public final class Table implements Rich {
  private final List<String> columns;
  private final List<Object[]> rows = new ArrayList<>();

  private Table(List<String> columns) {
    this.columns = List.copyOf(columns);
  }

  /**
   * An empty table with these column headings.
   *
   * <pre>{@code Table t = Table.of("worker", "requests");}</pre>
   */
  public static Table of(String... columns) {
    if (columns.length == 0) {
      throw new IllegalArgumentException("a table needs at least one column, got none");
    }
    return new Table(List.of(columns));
  }

  /**
   * Adds a row, one value per column; returns this table.
   *
   * <pre>{@code t.row("worker-0", 125_537);}</pre>
   *
   * @throws IllegalArgumentException if the row has the wrong number of values
   */
  public Table row(Object... values) {
    if (values.length != columns.size()) {
      throw new IllegalArgumentException("row has " + values.length + " values; the table has "
          + columns.size() + " columns " + columns);
    }
    rows.add(values.clone());
    return this;
  }

  /** The column headings. <pre>{@code t.columns();  // [worker, requests]}</pre> */
  public List<String> columns() {
    return columns;
  }

  /** The number of rows. <pre>{@code t.size();}</pre> */
  public int size() {
    return rows.size();
  }

  /**
   * The value in {@code row} under {@code column}.
   *
   * <pre>{@code long r = (long) t.get(0, "requests");}</pre>
   */
  public Object get(int row, String column) {
    return rows.get(row)[index(column)];
  }

  /**
   * A numeric column as doubles, ready for {@link Charts}.
   *
   * <pre>{@code double[] p99 = t.column("p99 µs");}</pre>
   *
   * @throws IllegalArgumentException if the column is missing or holds something not a number
   */
  public double[] column(String column) {
    int c = index(column);
    double[] out = new double[rows.size()];
    for (int r = 0; r < out.length; r++) {
      Object v = rows.get(r)[c];
      if (!(v instanceof Number)) {
        throw new IllegalArgumentException("column '" + column + "' row " + r + " is " + v
            + ", not a number");
      }
      out[r] = ((Number) v).doubleValue();
    }
    return out;
  }

  /**
   * A column's values as text, for category axes.
   *
   * <pre>{@code List<String> names = t.labels("worker");}</pre>
   */
  public List<String> labels(String column) {
    int c = index(column);
    List<String> out = new ArrayList<>();
    for (Object[] row : rows) {
      out.add(String.valueOf(row[c]));
    }
    return out;
  }

  /** The table as an HTML {@code <table>}. <pre>{@code display(html(t.html()));}</pre> */
  public String html() {
    StringBuilder b = new StringBuilder("<table>\n<thead><tr>");
    for (String c : columns) {
      b.append("<th>").append(escape(c)).append("</th>");
    }
    b.append("</tr></thead>\n<tbody>\n");
    for (Object[] row : rows) {
      b.append("<tr>");
      for (Object v : row) {
        b.append(v instanceof Number ? "<td style=\"text-align:right\">" : "<td>")
            .append(escape(format(v))).append("</td>");
      }
      b.append("</tr>\n");
    }
    return b.append("</tbody>\n</table>").toString();
  }

  @Override
  public Map<String, String> mimeBundle() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("text/html", html());
    m.put("text/plain", toString());
    return m;
  }

  /** The table as aligned text, numbers right-aligned. */
  @Override
  public String toString() {
    int[] width = new int[columns.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = columns.get(c).length();
      for (Object[] row : rows) {
        width[c] = Math.max(width[c], format(row[c]).length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (int c = 0; c < width.length; c++) {
      b.append(c == 0 ? "" : "  ").append(pad(columns.get(c), width[c], false));
    }
    for (Object[] row : rows) {
      b.append('\n');
      for (int c = 0; c < width.length; c++) {
        b.append(c == 0 ? "" : "  ").append(pad(format(row[c]), width[c], row[c] instanceof Number));
      }
    }
    return b.toString();
  }

  private int index(String column) {
    int c = columns.indexOf(column);
    if (c < 0) {
      throw new IllegalArgumentException("no column '" + column + "'; columns are " + columns);
    }
    return c;
  }

  static String format(Object v) {
    if (v instanceof Double || v instanceof Float) {
      return String.format(Locale.ROOT, "%,.1f", ((Number) v).doubleValue());
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short) {
      return String.format(Locale.ROOT, "%,d", ((Number) v).longValue());
    }
    return String.valueOf(v);
  }

  private static String pad(String s, int width, boolean right) {
    String fill = " ".repeat(Math.max(0, width - s.length()));
    return right ? fill + s : s + fill;
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
