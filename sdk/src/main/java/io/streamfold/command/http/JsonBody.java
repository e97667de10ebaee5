package io.streamfold.command.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamfold.service.http.ProblemException;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request body read strictly: a JSON object whose fields are all known and of the right type.
 * Amounts are JSON strings of a decimal with at most 4 decimals (never floating point); whether the
 * currency has that many minor units is the decider's rule (400 {@code invalid-amount}).
 */
public final class JsonBody {
  private static final Pattern AMOUNT = Pattern.compile("(0|[1-9][0-9]{0,15})(\\.[0-9]{1,4})?");

  private final JsonNode tree;
  private final Set<String> read = new HashSet<>();

  JsonBody(JsonNode tree) {
    if (tree == null || !tree.isObject()) {
      throw ProblemException.badRequest("malformed-body", "The body must be a JSON object");
    }
    this.tree = tree;
  }

  JsonNode tree() {
    return tree;
  }

  public String requiredString(String field, int maxLength) {
    String value = optionalString(field, maxLength);
    if (value == null || value.isBlank()) {
      throw invalid(field, "is required");
    }
    return value;
  }

  public String optionalString(String field, int maxLength) {
    read.add(field);
    JsonNode node = tree.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw invalid(field, "must be a string");
    }
    String value = node.textValue();
    if (value.length() > maxLength) {
      throw invalid(field, "must be at most " + maxLength + " characters");
    }
    return value;
  }

  /** A positive amount, as a decimal string with at most 4 decimals. */
  public BigDecimal positiveAmount(String field) {
    BigDecimal amount = amount(field, true);
    if (amount.signum() <= 0) {
      throw invalid(field, "must be greater than zero");
    }
    return amount;
  }

  /** A zero or positive amount; {@code 0} when absent and not required. */
  public BigDecimal amount(String field, boolean required) {
    read.add(field);
    JsonNode node = tree.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        throw invalid(field, "is required");
      }
      return BigDecimal.ZERO;
    }
    if (!node.isTextual()) {
      throw invalid(
          field,
          "must be a decimal string such as \"12.34\", not a JSON "
              + node.getNodeType().name().toLowerCase());
    }
    if (!AMOUNT.matcher(node.textValue()).matches()) {
      throw invalid(
          field,
          "must be a non-negative decimal with at most 4 decimals and 16 integer digits, not \""
              + node.textValue()
              + "\"");
    }
    return new BigDecimal(node.textValue());
  }

  /** A JSON integer from {@code min} to {@code max}. */
  public long integer(String field, long min, long max) {
    read.add(field);
    JsonNode node = tree.get(field);
    if (node == null || node.isNull()) {
      throw invalid(field, "is required");
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw invalid(field, "must be a whole number");
    }
    long value = node.longValue();
    if (value < min || value > max) {
      throw invalid(field, "must be from " + min + " to " + max);
    }
    return value;
  }

  /** An ISO 4217 currency code, such as EUR. */
  public String currency(String field) {
    String code = requiredString(field, 3);
    if (!code.matches("[A-Z]{3}")) {
      throw invalid(field, "must be an ISO 4217 code such as EUR");
    }
    try {
      java.util.Currency.getInstance(code);
    } catch (IllegalArgumentException e) {
      throw invalid(field, "is not an ISO 4217 code: " + code);
    }
    return code;
  }

  /** An aggregate id (as in a URL), or null when absent and not required. */
  public String id(String field, boolean required) {
    String id = required ? requiredString(field, 64) : optionalString(field, 64);
    if (id != null && !io.streamfold.service.http.Ids.isAggregateId(id)) {
      throw invalid(
          field,
          "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-', starting with a letter"
              + " or digit");
    }
    return id;
  }

  /** Refuses any field no parser asked for. Called after the parser. */
  void refuseUnknownFields() {
    for (Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!read.contains(name)) {
        throw ProblemException.badRequest("unknown-field", "Unknown field \"" + name + "\"");
      }
    }
  }

  private static ProblemException invalid(String field, String problem) {
    return ProblemException.badRequest("invalid-field", "Field \"" + field + "\" " + problem);
  }
}
