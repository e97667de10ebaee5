package io.streamfold.bank.projection;

import java.util.List;
import org.apache.avro.Schema;

/** The record names of an event envelope's {@code payload} union: a view's event types. */
final class PayloadTypes {
  private PayloadTypes() {}

  static List<String> of(Schema envelope) {
    return envelope.getField("payload").schema().getTypes().stream()
        .filter(branch -> branch.getType() == Schema.Type.RECORD)
        .map(Schema::getName)
        .toList();
  }
}
