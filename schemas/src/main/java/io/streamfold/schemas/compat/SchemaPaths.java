package io.streamfold.schemas.compat;

import org.apache.avro.Schema;

/** Turns the JSON-pointer locations of Avro's incompatibilities into readable field paths. */
final class SchemaPaths {
  private SchemaPaths() {}

  /**
   * Describes {@code /fields/8/type/1/fields/1} in {@code schema} as, for example, {@code
   * AccountEvent.payload[MoneyDeposited].note}.
   */
  static String describe(Schema schema, String location) {
    StringBuilder path = new StringBuilder(schema.getName());
    Schema current = schema;
    String[] parts = location.split("/");
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i];
      if (part.equals("fields")
          && i + 1 < parts.length
          && current.getType() == Schema.Type.RECORD) {
        Schema.Field field = current.getFields().get(Integer.parseInt(parts[++i]));
        path.append('.').append(field.name());
        current = field.schema();
      } else if (part.equals("type")
          && current.getType() == Schema.Type.UNION
          && i + 1 < parts.length) {
        current = current.getTypes().get(Integer.parseInt(parts[++i]));
        path.append('[').append(current.getName()).append(']');
      } else if (part.equals("items") && current.getType() == Schema.Type.ARRAY) {
        current = current.getElementType();
        path.append("[]");
      } else if (part.equals("values") && current.getType() == Schema.Type.MAP) {
        current = current.getValueType();
        path.append("{}");
      } else if (!part.equals("type") && !part.isEmpty()) {
        path.append(" (").append(part).append(')');
      }
    }
    return path.toString();
  }
}
