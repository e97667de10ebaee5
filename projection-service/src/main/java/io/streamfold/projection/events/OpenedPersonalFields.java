package io.streamfold.projection.events;

import io.streamfold.projection.plugin.PersonalFields;
import io.streamfold.schemas.crypto.PersonalData;
import java.util.Map;

/**
 * Personal values opened with this instance's data keys, shown as the accounts' {@code owner} is:
 * the value, or null with {@code <field>Erased} or {@code <field>Unreadable}; for a plug-in view's
 * answers and an event's fields ({@code EventJson}).
 */
public record OpenedPersonalFields(PersonalData personal) implements PersonalFields {

  @Override
  public void put(Map<String, Object> body, String field, String subjectId, String stored) {
    PersonalData.Opened opened = personal.open(subjectId, field, stored);
    body.put(field, opened.value());
    if (opened.erased()) {
      body.put(field + "Erased", true);
    }
    if (opened.error() != null) {
      body.put(field + "Unreadable", opened.error());
    }
  }
}
