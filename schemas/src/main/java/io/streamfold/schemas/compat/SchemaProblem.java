package io.streamfold.schemas.compat;

/**
 * One incompatibility between a schema and an earlier version.
 *
 * @param version the earlier version it breaks with (1-based)
 * @param rule Avro's incompatibility type, e.g. {@code READER_FIELD_MISSING_DEFAULT}
 * @param where a readable path to the offending part, e.g. {@code
 *     AccountEvent.payload[MoneyDeposited].note}
 * @param detail what Avro said
 */
public record SchemaProblem(int version, String rule, String where, String detail) {
  @Override
  public String toString() {
    return rule + " at " + where + " (" + detail + ")";
  }
}
