package io.streamfold.command.writer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A partition's process deadlines, soonest first: read from every version row when the partition is
 * taken over (the deadline is in the process's state, so it survives restarts and fail-overs), then
 * added to by each committed decision. Touched by the partition's thread until it serves, then only
 * by its lane's committer. A deadline that fired is dropped once its round committed; one that no
 * longer fits its process is decided anyway and changes nothing.
 */
final class Deadlines {
  record Deadline(Instant at, String aggregateId) implements Comparable<Deadline> {
    @Override
    public int compareTo(Deadline other) {
      int byTime = at.compareTo(other.at);
      return byTime != 0 ? byTime : aggregateId.compareTo(other.aggregateId);
    }
  }

  private final TreeSet<Deadline> pending = new TreeSet<>();

  void add(String aggregateId, Instant at) {
    pending.add(new Deadline(at, aggregateId));
  }

  /** Those at or before {@code now}, at most {@code max}, left in place. */
  List<Deadline> due(Instant now, int max) {
    List<Deadline> due = new ArrayList<>();
    for (Deadline deadline : pending) {
      if (deadline.at().isAfter(now) || due.size() == max) {
        break;
      }
      due.add(deadline);
    }
    return due;
  }

  void fired(List<Deadline> deadlines) {
    deadlines.forEach(pending::remove);
  }

  int size() {
    return pending.size();
  }
}
