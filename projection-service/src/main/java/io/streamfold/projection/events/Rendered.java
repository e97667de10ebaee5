package io.streamfold.projection.events;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The events subscribers were sent lately, decoded and rendered once for all of them: live
 * subscribers read the same records at about the same time, and rendering each event once per
 * subscriber made a hundred of them cost more than the commands they follow. Per partition, a ring
 * of {@value #SLOTS} slots indexed by offset; a slot holds the offset it was rendered for, so a
 * lookup after the ring moved on is a miss, never a wrong event.
 */
final class Rendered {
  static final int SLOTS = 4_096;

  /** One rendered event: its type and its JSON. */
  record Event(long offset, String type, byte[] json) {}

  private final ConcurrentHashMap<String, AtomicReferenceArray<Event>> rings =
      new ConcurrentHashMap<>();

  /** The event rendered for {@code offset} of {@code topic}'s {@code partition}, or null. */
  Event get(String topic, int partition, long offset) {
    AtomicReferenceArray<Event> ring = rings.get(key(topic, partition));
    if (ring == null) {
      return null;
    }
    Event event = ring.get(slot(offset));
    return event != null && event.offset() == offset ? event : null;
  }

  void put(String topic, int partition, Event event) {
    rings
        .computeIfAbsent(key(topic, partition), k -> new AtomicReferenceArray<>(SLOTS))
        .set(slot(event.offset()), event);
  }

  private static String key(String topic, int partition) {
    return topic + '-' + partition;
  }

  private static int slot(long offset) {
    return (int) (offset & (SLOTS - 1));
  }
}
