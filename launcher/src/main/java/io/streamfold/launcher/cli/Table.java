package io.streamfold.launcher.cli;

import java.io.PrintStream;
import java.util.List;

/** A plain text table: columns as wide as their widest cell, two spaces apart. */
final class Table {
  private Table() {}

  static void print(PrintStream out, List<String> headers, List<List<String>> rows) {
    int[] widths = new int[headers.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = headers.get(c).length();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    line(out, headers, widths);
    rows.forEach(row -> line(out, row, widths));
  }

  private static void line(PrintStream out, List<String> cells, int[] widths) {
    StringBuilder text = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      text.append(
          c == cells.size() - 1
              ? cells.get(c)
              : String.format("%-" + widths[c] + "s  ", cells.get(c)));
    }
    out.println(text.toString().stripTrailing());
  }
}
