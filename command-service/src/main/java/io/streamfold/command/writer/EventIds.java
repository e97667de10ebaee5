package io.streamfold.command.writer;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Event ids derived from the command: the same command always yields the same ids, and ids of
 * different aggregates never collide even when their commands share an idempotency key.
 */
public final class EventIds {
  private EventIds() {}

  public static String of(String aggregateType, String aggregateId, String commandId, int index) {
    String name = aggregateType + '\u0000' + aggregateId + '\u0000' + commandId + '\u0000' + index;
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
