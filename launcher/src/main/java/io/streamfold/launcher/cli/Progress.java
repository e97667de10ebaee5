package io.streamfold.launcher.cli;

import java.io.PrintStream;

/** A progress bar on one line of the error stream, redrawn in place: {@code [#####-----] 5/10}. */
final class Progress {
  private static final int WIDTH = 30;
  private final PrintStream err;
  private final String what;
  private long total;
  private String last = "";

  Progress(PrintStream err, String what, long total) {
    this.err = err;
    this.what = what;
    this.total = Math.max(total, 1);
  }

  /** Shows {@code done} of the total (a total that grows meanwhile grows the bar's). */
  void show(long done) {
    total = Math.max(total, done);
    int filled = (int) (WIDTH * Math.min(done, total) / total);
    String line =
        what + " [" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + done + "/" + total;
    if (!line.equals(last)) {
      err.print("\r" + line);
      err.flush();
      last = line;
    }
  }

  void done() {
    err.println();
  }
}
