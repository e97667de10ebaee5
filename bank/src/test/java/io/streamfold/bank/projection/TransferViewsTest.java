package io.streamfold.bank.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TransferViewsTest {
  private final TransferViews views = new TransferViews();

  @Test
  void shouldReadBackWhatItStoresWhateverIsKnown() {
    TransferView full =
        new TransferView(
            "a",
            "b",
            new BigDecimal("1.005"),
            "BHD",
            "REFUNDED",
            "account-closed",
            "b is closed",
            true,
            Instant.parse("2026-01-02T03:04:05Z"),
            Instant.parse("2026-01-02T03:04:09Z"));
    TransferView partial =
        new TransferView(
            null,
            null,
            null,
            null,
            "DEBITING",
            null,
            null,
            false,
            null,
            Instant.parse("2026-01-02T03:04:09Z"));

    assertThat(views.read(views.write(full))).isEqualTo(full);
    assertThat(views.read(views.write(partial))).isEqualTo(partial);
  }

  @Test
  void shouldRenderTheTransferWithItsReason() {
    TransferView failed =
        new TransferView(
            "a",
            "b",
            new BigDecimal("10.00"),
            "EUR",
            "FAILED",
            "insufficient-funds",
            "low",
            false,
            Instant.parse("2026-01-02T03:04:05Z"),
            Instant.parse("2026-01-02T03:04:06Z"));

    var body = views.render("t1", failed);

    assertThat(body)
        .containsEntry("id", "t1")
        .containsEntry("amount", "10.00")
        .containsEntry("status", "FAILED")
        .containsEntry("reason", java.util.Map.of("code", "insufficient-funds", "message", "low"));
  }
}
