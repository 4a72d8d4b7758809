package io.kallisto.visualizer.ui;

import io.kallisto.visualizer.model.ViewState;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;

/**
 * Plays a trace back: on every frame the cursor advances by the real time since the last frame
 * times the speed (0.01x to 100x), and the view follows it. Stepping moves the cursor to the
 * previous or next moment anything happens. FX thread only.
 */
final class Replay {
  /** The slowest speed: one hundredth of real time. */
  static final double MIN_SPEED = 0.01;
  /** The fastest speed: a hundred times real time. */
  static final double MAX_SPEED = 100;

  private final ReadOnlyBooleanWrapper playing = new ReadOnlyBooleanWrapper(false);
  private ViewState state;
  private double speed = 1;
  private long lastPulse = -1;
  private double carry;

  void setState(ViewState s) {
    pause();
    state = s;
  }

  /** True while playing. */
  ReadOnlyBooleanProperty playingProperty() {
    return playing.getReadOnlyProperty();
  }

  boolean isPlaying() {
    return playing.get();
  }

  double speed() {
    return speed;
  }

  /** Sets the speed, clamped to 0.01x to 100x. */
  void setSpeed(double s) {
    speed = Math.max(MIN_SPEED, Math.min(MAX_SPEED, s));
  }

  /** Plays from the cursor (from the start if the cursor is at the end). */
  void play() {
    if (state == null) {
      return;
    }
    if (!state.cursorVisible() || state.cursor() >= state.model().lastTime()) {
      state.setCursor(state.model().firstTime());
    }
    state.follow();
    lastPulse = -1;
    carry = 0;
    playing.set(true);
  }

  void pause() {
    playing.set(false);
  }

  void toggle() {
    if (isPlaying()) {
      pause();
    } else {
      play();
    }
  }

  /** Advances the cursor for a frame at {@code now} (nanoseconds, as AnimationTimer gives). */
  void pulse(long now) {
    if (!isPlaying() || state == null) {
      return;
    }
    if (lastPulse >= 0) {
      double advance = (now - lastPulse) * speed + carry;
      long whole = (long) Math.floor(advance);
      carry = advance - whole;
      state.setCursor(state.cursor() + whole);
      state.follow();
      if (state.cursor() >= state.model().lastTime()) {
        pause();
      }
    }
    lastPulse = now;
  }

  /** Moves the cursor to the next moment anything happens, and pauses. */
  void stepNext() {
    if (state != null) {
      pause();
      state.setCursor(state.cursorVisible() ? state.model().nextEventTime(state.cursor())
          : state.model().firstTime());
      state.follow();
    }
  }

  /** Moves the cursor to the previous moment anything happens, and pauses. */
  void stepPrevious() {
    if (state != null) {
      pause();
      state.setCursor(state.model().previousEventTime(state.cursor()));
      state.follow();
    }
  }
}
