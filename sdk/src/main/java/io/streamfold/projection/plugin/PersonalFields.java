package io.streamfold.projection.plugin;

import java.util.Map;

/**
 * Opens the personal values a view keeps as the command side sealed them (encrypted under their
 * subject's data key, as the accounts' owner names are): a view keeps the sealed value and its
 * subject's id, and its rendering opens it, so that erasing the subject (crypto-shredding) makes
 * every copy unreadable, the stores' and their changelogs' included, with nothing to rewrite.
 */
public interface PersonalFields {

  /**
   * Puts {@code field} into {@code body} as an answer shows a personal value, the way the accounts'
   * {@code owner} is shown: its plain text; {@code null} and {@code <field>Erased: true} once the
   * subject was erased; {@code null} and {@code <field>Unreadable: <why>} when it cannot be opened
   * (altered, or its key is missing). A value kept without a subject ({@code subjectId} null,
   * written before subjects existed) is plain text and put as it is; a null value is put as null.
   */
  void put(Map<String, Object> body, String field, String subjectId, String stored);
}
