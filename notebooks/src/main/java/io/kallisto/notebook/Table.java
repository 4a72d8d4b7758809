package io.kallisto.notebook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small table of results, shown as HTML in a notebook and as aligned text elsewhere. Numbers
 * are formatted plainly ({@link Numbers#plain}: thousands separators, about three significant
 * digits, never scientific notation). {@link #save} keeps it as CSV or JSON, at full precision.
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
  private static final ObjectMapper JSON = new ObjectMapper();
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

  /**
   * Writes the table to {@code file}, replacing it: JSON (an array of objects, one per row, keyed
   * by column) when the name ends in {@code .json}, CSV (RFC 4180, a header row) otherwise.
   * Numbers are written at full precision, not as shown. Returns the file.
   *
   * <pre>{@code t.save(Path.of("scaling.csv")); t.save(Path.of("scaling.json"));}</pre>
   *
   * @throws java.io.UncheckedIOException naming the file if it cannot be written
   */
  public Path save(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    String text = name.toLowerCase(Locale.ROOT).endsWith(".json") ? json() : csv();
    try {
      io.kallisto.files.AtomicOutput.write(file, text.getBytes(StandardCharsets.UTF_8));
      return file;
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException("cannot write the table to " + file + ": "
          + io.kallisto.files.FileProblem.of(e.getCause()), e.getCause());
    }
  }

  /** The table as CSV: a header row, then one line per row; numbers at full precision. */
  public String csv() {
    StringBuilder b = new StringBuilder();
    b.append(String.join(",", columns.stream().map(Table::csvField).toList())).append("\r\n");
    for (Object[] row : rows) {
      List<String> fields = new ArrayList<>();
      for (Object v : row) {
        fields.add(v instanceof Number ? String.valueOf(v) : csvField(String.valueOf(v)));
      }
      b.append(String.join(",", fields)).append("\r\n");
    }
    return b.toString();
  }

  /** The table as a JSON array of objects keyed by column; numbers as JSON numbers. */
  public String json() {
    ArrayNode array = JSON.createArrayNode();
    for (Object[] row : rows) {
      ObjectNode o = array.addObject();
      for (int c = 0; c < columns.size(); c++) {
        Object v = row[c];
        if (v instanceof Double || v instanceof Float) {
          double d = ((Number) v).doubleValue();
          if (Double.isFinite(d)) {
            o.put(columns.get(c), d);
          } else {
            o.putNull(columns.get(c)); // JSON has no NaN or infinity
          }
        } else if (v instanceof Number) {
          o.put(columns.get(c), ((Number) v).longValue());
        } else if (v instanceof Boolean) {
          o.put(columns.get(c), (Boolean) v);
        } else {
          o.put(columns.get(c), v == null ? null : String.valueOf(v));
        }
      }
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(array) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a table as JSON", e);
    }
  }

  private static String csvField(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
        ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
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
      return Numbers.plain(((Number) v).doubleValue());
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
