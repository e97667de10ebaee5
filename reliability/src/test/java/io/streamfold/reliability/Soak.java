package io.streamfold.reliability;

/**
 * How long and how hard the reliability tests run. CI runs the short defaults; {@code
 * -Dreliability.soak=true} runs the long variants (about ten times longer), and each figure can be
 * set on its own, e.g. {@code -Dreliability.kills=50}. Load between kills and restarts is counted
 * in answered commands, not seconds.
 */
final class Soak {
  static final boolean ENABLED = Boolean.getBoolean("reliability.soak");

  private Soak() {}

  static int count(String name, int ci, int soak) {
    return Integer.getInteger("reliability." + name, ENABLED ? soak : ci);
  }
}
