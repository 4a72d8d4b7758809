package io.kallisto.notebook.kernel;

import io.github.spencerpark.jupyter.kernel.history.HistoryEntry;
import io.github.spencerpark.jupyter.kernel.history.HistoryManager;
import io.github.spencerpark.jupyter.messages.ContentType;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.request.HistoryRequest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * This kernel session's cells, for Jupyter's {@code history_request}: each cell's input (raw, and
 * with its magics taken off) and a one-line output (the result's text, or the error's name).
 * Nothing is kept across kernel restarts: earlier sessions answer with no entries.
 *
 * <p>Every method is safe from any thread.
 */
final class SessionHistory implements HistoryManager {
  /** This session's number in replies; requests may name it as 0 (the current one) too. */
  static final int SESSION = 1;
  /** Cells kept; older ones are dropped. */
  static final int LIMIT = 10_000;

  private final List<Entry> entries = new ArrayList<>(); // guarded by this

  private static final class Entry {
    final int number;
    final String raw;
    final String transformed;
    String output = "";

    Entry(int number, String raw, String transformed) {
      this.number = number;
      this.raw = raw;
      this.transformed = transformed;
    }
  }

  /** Records cell {@code number}'s input as it begins. */
  synchronized void add(int number, String raw, String transformed) {
    if (entries.size() == LIMIT) {
      entries.remove(0);
    }
    entries.add(new Entry(number, raw, transformed));
  }

  /** Records what cell {@code number} showed; the empty string for nothing. */
  synchronized void output(int number, String output) {
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (entries.get(i).number == number) {
        entries.get(i).output = output == null ? "" : output;
        return;
      }
    }
  }

  @Override
  public synchronized List<HistoryEntry> lookupRange(int session, int start, int stop,
      Set<ResultFlag> flags) {
    List<HistoryEntry> out = new ArrayList<>();
    if (session != 0 && session != SESSION) {
      return out;
    }
    for (Entry e : entries) {
      if (e.number >= start && (stop <= 0 || e.number < stop)) {
        out.add(entry(e, flags));
      }
    }
    return out;
  }

  @Override
  public synchronized List<HistoryEntry> lookupTail(int length, Set<ResultFlag> flags) {
    int from = length <= 0 ? 0 : Math.max(0, entries.size() - length);
    List<HistoryEntry> out = new ArrayList<>();
    for (Entry e : entries.subList(from, entries.size())) {
      out.add(entry(e, flags));
    }
    return out;
  }

  /** The last {@code length} cells whose input matches the glob {@code pattern}, oldest first. */
  @Override
  public synchronized List<HistoryEntry> search(String pattern, int length,
      Set<ResultFlag> flags) {
    Pattern glob = glob(pattern == null || pattern.isEmpty() ? "*" : pattern);
    boolean unique = flags.contains(ResultFlag.UNIQUE);
    List<HistoryEntry> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = entries.size() - 1; i >= 0 && (length <= 0 || out.size() < length); i--) {
      Entry e = entries.get(i);
      String input = input(e, flags);
      if (glob.matcher(input).matches() && (!unique || seen.add(input))) {
        out.add(0, entry(e, flags));
      }
    }
    return out;
  }

  private static String input(Entry e, Set<ResultFlag> flags) {
    return flags.contains(ResultFlag.TRANSFORMED_INPUT) ? e.transformed : e.raw;
  }

  private static HistoryEntry entry(Entry e, Set<ResultFlag> flags) {
    String input = input(e, flags);
    return flags.contains(ResultFlag.INCLUDE_OUTPUT)
        ? new HistoryEntry(SESSION, e.number, input, e.output)
        : new HistoryEntry(SESSION, e.number, input);
  }

  /**
   * Answers {@code request} as Jupyter's protocol has it: {@code [session, cell, input]}, or
   * {@code [session, cell, [input, output]]} with output, and {@code status: ok}. (The base
   * library's own handler sends each entry as a JSON object, which clients cannot read.)
   */
  Reply answer(HistoryRequest request) {
    Set<ResultFlag> flags = EnumSet.noneOf(ResultFlag.class);
    if (request.includeOutput()) {
      flags.add(ResultFlag.INCLUDE_OUTPUT);
    }
    if (!request.useRaw()) {
      flags.add(ResultFlag.TRANSFORMED_INPUT);
    }
    List<HistoryEntry> entries;
    switch (request.getAccessType()) {
      case TAIL:
        entries = lookupTail(((HistoryRequest.Tail) request).getMaxReturnLength(), flags);
        break;
      case RANGE: {
        HistoryRequest.Range range = (HistoryRequest.Range) request;
        entries = lookupRange(range.getSessionIndex(), range.getStart(), range.getStop(), flags);
        break;
      }
      case SEARCH: {
        HistoryRequest.Search search = (HistoryRequest.Search) request;
        if (search.filterUnique()) {
          flags.add(ResultFlag.UNIQUE);
        }
        entries = search(search.getPattern(), search.getMaxReturnLength(), flags);
        break;
      }
      default:
        entries = List.of();
    }
    List<List<Object>> tuples = new ArrayList<>();
    for (HistoryEntry e : entries) {
      tuples.add(List.of(e.getSession(), e.getCellNumber(),
          e.hasOutput() ? List.of(e.getInput(), e.getOutput()) : e.getInput()));
    }
    return new Reply(tuples);
  }

  /** The content of a {@code history_reply}, serialized field by field by the base library. */
  static final class Reply implements ContentType<Reply> {
    @SuppressWarnings("unused") // serialized
    private final String status = "ok";
    private final List<List<Object>> history;

    Reply(List<List<Object>> history) {
      this.history = history;
    }

    List<List<Object>> history() {
      return history;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"}) // the reply's type is keyed by name only
    public MessageType<Reply> getType() {
      return (MessageType) MessageType.HISTORY_REPLY;
    }
  }

  /** An sqlite GLOB as a regex: {@code *}, {@code ?}, {@code [a-z]}, {@code [^abc]}. */
  static Pattern glob(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else if (c == '[' && glob.indexOf(']', i + 2) > 0) {
        int end = glob.indexOf(']', i + 2);
        String set = glob.substring(i + 1, end);
        boolean negated = set.startsWith("^");
        re.append('[').append(negated ? "^" : "");
        for (char s : (negated ? set.substring(1) : set).toCharArray()) {
          // A backslash may precede any character that is not a letter or digit.
          re.append(s == '-' || Character.isLetterOrDigit(s) ? String.valueOf(s) : "\\" + s);
        }
        re.append(']');
        i = end;
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }
}
