package io.streamfold.projection.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.streamfold.projection.view.AccountSummary;
import io.streamfold.schemas.crypto.PersonalData;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * An account summary as an answer shows it: the owner's name opened for its subject, or null with
 * {@code ownerErased: true} once the subject is forgotten (the stores keep only ciphertext).
 */
public record AccountView(
    String accountId,
    String owner,
    @JsonInclude(JsonInclude.Include.NON_NULL) String ownerId,
    @JsonInclude(JsonInclude.Include.NON_NULL) Boolean ownerErased,
    @JsonInclude(JsonInclude.Include.NON_NULL) String ownerUnreadable,
    String currency,
    BigDecimal balance,
    String status,
    long version,
    Instant openedAt,
    Instant lastActivityAt,
    long transactionCount,
    long missingVersions) {

  public static AccountView of(AccountSummary summary, PersonalData personal) {
    PersonalData.Opened owner = personal.open(summary.ownerId(), "owner", summary.owner());
    return new AccountView(
        summary.accountId(),
        owner.value(),
        summary.ownerId(),
        owner.erased() ? Boolean.TRUE : null,
        owner.error(),
        summary.currency(),
        summary.balance(),
        summary.status(),
        summary.version(),
        summary.openedAt(),
        summary.lastActivityAt(),
        summary.transactionCount(),
        summary.missingVersions());
  }
}
