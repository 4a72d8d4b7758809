package io.kallisto.visualizer.render;

import io.kallisto.visualizer.model.SliceCategory;

/**
 * The colours, from the Okabe–Ito palette, which stays distinguishable with the common forms of
 * colour blindness: callback kinds get its strong hues, the idle poll a light grey so that busy
 * time stands out, and vermilion marks what needs attention (wakeups written, marks, the
 * cursor). Text on a slice is black or white, whichever contrasts more.
 */
public final class Palette {
  /** Okabe–Ito orange. */
  public static final int ORANGE = 0xFFE69F00;
  /** Okabe–Ito sky blue. */
  public static final int SKY_BLUE = 0xFF56B4E9;
  /** Okabe–Ito bluish green. */
  public static final int BLUISH_GREEN = 0xFF009E73;
  /** Okabe–Ito yellow. */
  public static final int YELLOW = 0xFFF0E442;
  /** Okabe–Ito blue. */
  public static final int BLUE = 0xFF0072B2;
  /** Okabe–Ito vermilion. */
  public static final int VERMILION = 0xFFD55E00;
  /** Okabe–Ito reddish purple. */
  public static final int REDDISH_PURPLE = 0xFFCC79A7;

  /** The page. */
  public static final int BACKGROUND = 0xFFFFFFFF;
  /** Every other lane. */
  public static final int LANE_ALT = 0xFFF6F7F9;
  /** Grid lines and separators. */
  public static final int GRID = 0xFFDADDE2;
  /** Main text. */
  public static final int TEXT = 0xFF1F2328;
  /** Secondary text. */
  public static final int TEXT_MUTED = 0xFF5F6670;
  /** Idle poll. */
  public static final int POLL_WAIT = 0xFFE3E5E8;
  /** Non-blocking poll. */
  public static final int POLL = 0xFFB8BDC4;
  /** Counter areas. */
  public static final int COUNTER = 0xFF7FA7C9;
  /** Range overlay. */
  public static final int RANGE = 0x240072B2;
  /** A wakeup that was avoided: its dashed arrow. */
  public static final int AVOIDED = 0xFF6B7079;
  /** A wakeup that was avoided: its tick above the lane, lighter so that dense posts stay calm. */
  public static final int AVOIDED_TICK = 0xFF9AA0A8;
  /** The ruler and label column background. */
  public static final int PANEL = 0xFFF0F2F5;
  /** Behind the label of the thread or track a search is on. */
  public static final int HIGHLIGHT = 0xFFFFE9A8;
  /** The banner for damaged traces. */
  public static final int BANNER = 0xFFFFF3C4;
  /** The mark where an interrupted run was cut: drawn dashed, so it is not the cursor's line. */
  public static final int CUT = 0xFF000000;

  private static final int[] CATEGORY = new int[SliceCategory.count()];

  static {
    CATEGORY[SliceCategory.POLL_WAIT.ordinal()] = POLL_WAIT;
    CATEGORY[SliceCategory.POLL.ordinal()] = POLL;
    CATEGORY[SliceCategory.WORK.ordinal()] = SKY_BLUE;
    CATEGORY[SliceCategory.POST_CALLBACK.ordinal()] = BLUE;
    CATEGORY[SliceCategory.TIMER_CALLBACK.ordinal()] = ORANGE;
    CATEGORY[SliceCategory.FILE_CALLBACK.ordinal()] = BLUISH_GREEN;
    CATEGORY[SliceCategory.SLOT_CALLBACK.ordinal()] = REDDISH_PURPLE;
    CATEGORY[SliceCategory.OTHER_CALLBACK.ordinal()] = 0xFF4D4D4D;
    CATEGORY[SliceCategory.SPAN.ordinal()] = YELLOW;
    CATEGORY[SliceCategory.REQUEST.ordinal()] = 0xFF3A3A3A; // near-black: Okabe-Ito's eighth
  }

  private Palette() {}

  /** The fill of slices of {@code c}. */
  public static int of(SliceCategory c) {
    return CATEGORY[c.ordinal()];
  }

  /** The fill of category ordinal {@code c}. */
  static int ofOrdinal(int c) {
    return CATEGORY[c];
  }

  /** Black or white, whichever reads better on {@code argb}. */
  public static int textOn(int argb) {
    return luminance(argb) > 0.45 ? TEXT : 0xFFFFFFFF;
  }

  /** Relative luminance, 0 to 1. */
  static double luminance(int argb) {
    return (0.2126 * channel(argb >> 16) + 0.7152 * channel(argb >> 8) + 0.0722 * channel(argb));
  }

  private static double channel(int v) {
    double c = (v & 0xff) / 255.0;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }

  /** {@code over} mixed into {@code under} by {@code amount} (0: under, 1: over), opaque. */
  public static int blend(int under, int over, double amount) {
    double a = Math.max(0, Math.min(1, amount));
    int r = (int) Math.round(((under >> 16) & 0xff) * (1 - a) + ((over >> 16) & 0xff) * a);
    int g = (int) Math.round(((under >> 8) & 0xff) * (1 - a) + ((over >> 8) & 0xff) * a);
    int b = (int) Math.round((under & 0xff) * (1 - a) + (over & 0xff) * a);
    return 0xFF000000 | r << 16 | g << 8 | b;
  }
}
