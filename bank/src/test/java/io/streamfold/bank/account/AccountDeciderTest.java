package io.streamfold.bank.account;

import static io.streamfold.command.domain.Rejection.Kind.ALREADY_EXISTS;
import static io.streamfold.command.domain.Rejection.Kind.BUSINESS_RULE;
import static io.streamfold.command.domain.Rejection.Kind.INVALID_COMMAND;
import static io.streamfold.command.domain.Rejection.Kind.NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.bank.account.AccountCommand.CloseAccount;
import io.streamfold.bank.account.AccountCommand.Deposit;
import io.streamfold.bank.account.AccountCommand.OpenAccount;
import io.streamfold.bank.account.AccountCommand.Withdraw;
import io.streamfold.bank.account.AccountEvent.AccountClosed;
import io.streamfold.bank.account.AccountEvent.AccountOpened;
import io.streamfold.bank.account.AccountEvent.MoneyDeposited;
import io.streamfold.bank.account.AccountEvent.MoneyWithdrawn;
import io.streamfold.command.domain.DeciderFixture;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class AccountDeciderTest {
  private static final AccountOpened OPENED = new AccountOpened("Ada", "EUR", amount("10.00"));

  private final DeciderFixture<AccountCommand, AccountEvent, Account> account =
      DeciderFixture.of(new AccountDecider());

  static BigDecimal amount(String value) {
    return new BigDecimal(value);
  }

  @Test
  void shouldOpenANewAccountWithTheInitialDepositNormalizedToTwoDecimals() {
    Account state =
        account.given().when(new OpenAccount("Ada", "EUR", amount("10"))).thenEvents(OPENED);

    assertThat(state.status()).isEqualTo(Account.Status.OPEN);
    assertThat(state.balance()).isEqualTo(amount("10.00"));
    assertThat(state.openedAt()).isEqualTo(DeciderFixture.NOW);
  }

  @Test
  void shouldOpenWithAZeroDeposit() {
    account
        .when(new OpenAccount("Ada", "JPY", BigDecimal.ZERO))
        .thenEvents(new AccountOpened("Ada", "JPY", amount("0.00")));
  }

  @Test
  void shouldRefuseToOpenTwice() {
    account
        .given(OPENED)
        .when(new OpenAccount("Ada", "EUR", BigDecimal.ONE))
        .thenRejected(ALREADY_EXISTS, "already-exists");
  }

  @Test
  void shouldRefuseAnUnknownCurrency() {
    account
        .when(new OpenAccount("Ada", "XYZ", BigDecimal.ONE))
        .thenRejected(INVALID_COMMAND, "invalid-currency");
    account
        .when(new OpenAccount("Ada", "eur", BigDecimal.ONE))
        .thenRejected(INVALID_COMMAND, "invalid-currency");
  }

  @Test
  void shouldRefuseABlankOwner() {
    // the owner arrives sealed; its length is checked on the plain text, by the HTTP layer
    account
        .when(new OpenAccount(" ", "EUR", BigDecimal.ONE))
        .thenRejected(INVALID_COMMAND, "invalid-owner");
  }

  @Test
  void shouldRefuseANegativeOrTooPreciseInitialDeposit() {
    account
        .when(new OpenAccount("Ada", "EUR", amount("-1")))
        .thenRejected(INVALID_COMMAND, "invalid-amount");
    account
        .when(new OpenAccount("Ada", "EUR", amount("1.001")))
        .thenRejected(INVALID_COMMAND, "invalid-amount");
  }

  @Test
  void shouldDepositAndWithdraw() {
    Account state =
        account
            .given(OPENED, new MoneyDeposited(amount("5.50")))
            .when(new Withdraw(amount("15.5")))
            .thenEvents(new MoneyWithdrawn(amount("15.50")));

    assertThat(state.balance()).isEqualByComparingTo("0");
  }

  @Test
  void shouldRefuseToWithdrawMoreThanTheBalance() {
    account
        .given(OPENED)
        .when(new Withdraw(amount("10.01")))
        .thenRejected(BUSINESS_RULE, "insufficient-funds");
  }

  @Test
  void shouldRefuseZeroNegativeAndTooPreciseAmounts() {
    account
        .given(OPENED)
        .when(new Deposit(BigDecimal.ZERO))
        .thenRejected(INVALID_COMMAND, "invalid-amount");
    account.when(new Withdraw(amount("-1"))).thenRejected(INVALID_COMMAND, "invalid-amount");
    account.when(new Deposit(amount("0.001"))).thenRejected(INVALID_COMMAND, "invalid-amount");
  }

  @Test
  void shouldHoldAmountsToTheCurrencysMinorUnits() {
    AccountOpened yen = new AccountOpened("Ada", "JPY", amount("1000.00"));
    account
        .when(new OpenAccount("Ada", "JPY", amount("1000.5")))
        .thenRejected(INVALID_COMMAND, "invalid-amount");
    account
        .given(yen)
        .when(new Deposit(amount("1.50")))
        .thenRejected(INVALID_COMMAND, "invalid-amount");
    account
        .given(yen)
        .when(new Withdraw(amount("0.5")))
        .thenRejected(INVALID_COMMAND, "invalid-amount");
    account
        .given(yen)
        .when(new Deposit(amount("150.00")))
        .thenEvents(new MoneyDeposited(amount("150.00")));
    DeciderFixture.of(new AccountDecider()) // gold has no minor unit in ISO 4217: 2 decimals
        .when(new OpenAccount("Ada", "XAU", amount("1.25")))
        .thenEvents(new AccountOpened("Ada", "XAU", amount("1.25")));
  }

  @Test
  void shouldHoldCurrenciesWithThreeAndFourMinorUnitsExactly() {
    AccountOpened dinars = new AccountOpened("Ada", "BHD", amount("1.005"));
    DeciderFixture.of(new AccountDecider())
        .when(new OpenAccount("Ada", "BHD", amount("1.005")))
        .thenEvents(new AccountOpened("Ada", "BHD", amount("1.005")));
    DeciderFixture.of(new AccountDecider())
        .given(dinars)
        .when(new Withdraw(amount("0.005")))
        .thenEvents(new MoneyWithdrawn(amount("0.005")));
    DeciderFixture.of(new AccountDecider())
        .given(dinars)
        .when(new Deposit(amount("0.0005")))
        .thenRejected(INVALID_COMMAND, "invalid-amount");
    DeciderFixture.of(new AccountDecider())
        .when(new OpenAccount("Ada", "CLF", amount("0.1234")))
        .thenEvents(new AccountOpened("Ada", "CLF", amount("0.1234")));
    DeciderFixture.of(new AccountDecider())
        .when(new OpenAccount("Ada", "CLF", amount("0.12345")))
        .thenRejected(INVALID_COMMAND, "invalid-amount");
  }

  @Test
  void shouldShowAmountsWithAtLeastTwoDecimalsAndNoTrailingZerosBeyond() {
    assertThat(Money.normalize(new BigDecimal("150"))).hasToString("150.00");
    assertThat(Money.normalize(new BigDecimal("1.0050"))).hasToString("1.005");
    assertThat(Money.normalize(new BigDecimal("1E+2"))).hasToString("100.00");
    assertThat(Money.toSchema(new BigDecimal("1.005"))).hasToString("1.0050");
  }

  @Test
  void shouldRefuseADepositBeyondTheRepresentableBalance() {
    account.given(OPENED).when(new Deposit(Money.MAX)).thenRejected(BUSINESS_RULE, "balance-limit");
  }

  @Test
  void shouldRefuseEverythingButOpenOnAMissingAccount() {
    account.when(new Deposit(BigDecimal.ONE)).thenRejected(NOT_FOUND, "not-found");
    account.when(new Withdraw(BigDecimal.ONE)).thenRejected(NOT_FOUND, "not-found");
    account.when(new CloseAccount(null)).thenRejected(NOT_FOUND, "not-found");
  }

  @Test
  void shouldCloseOnlyWithAZeroBalance() {
    account
        .given(OPENED)
        .when(new CloseAccount("bye"))
        .thenRejected(BUSINESS_RULE, "non-zero-balance");

    Account closed =
        account
            .given(new MoneyWithdrawn(amount("10.00")))
            .when(new CloseAccount("bye"))
            .thenEvents(new AccountClosed("bye"));

    assertThat(closed.status()).isEqualTo(Account.Status.CLOSED);
  }

  @Test
  void shouldRefuseEverythingOnAClosedAccount() {
    account.given(new AccountOpened("Ada", "EUR", amount("0.00")), new AccountClosed(null));

    account.when(new Deposit(BigDecimal.ONE)).thenRejected(BUSINESS_RULE, "account-closed");
    account.when(new Withdraw(BigDecimal.ONE)).thenRejected(BUSINESS_RULE, "account-closed");
    account.when(new CloseAccount(null)).thenRejected(BUSINESS_RULE, "account-closed");
    account
        .when(new OpenAccount("Ada", "EUR", BigDecimal.ONE))
        .thenRejected(ALREADY_EXISTS, "already-exists");
  }

  private static AccountCommand.TransferLeg leg(
      AccountCommand.Leg leg, String amount, String currency) {
    return new AccountCommand.TransferLeg(leg, "t1", "other", amount(amount), currency);
  }

  @Test
  void shouldCheckAnAccountForATransferWithoutMovingAnything() {
    account.given(OPENED).when(leg(AccountCommand.Leg.CHECK, "5.00", "EUR")).thenEvents();
    account
        .when(leg(AccountCommand.Leg.CHECK, "5.00", "USD"))
        .thenRejected(BUSINESS_RULE, "currency-mismatch");
    DeciderFixture.of(new AccountDecider())
        .when(leg(AccountCommand.Leg.CHECK, "5.00", "EUR"))
        .thenRejected(NOT_FOUND, "not-found");
  }

  @Test
  void shouldMoveATransfersMoneyWithItsReferenceAndCounterparty() {
    Account debited =
        account
            .given(OPENED)
            .when(leg(AccountCommand.Leg.DEBIT, "4", "EUR"))
            .thenEvents(new MoneyWithdrawn(amount("4.00"), "t1", "other"));
    assertThat(debited.balance()).isEqualTo(amount("6.00"));
    account
        .when(leg(AccountCommand.Leg.DEBIT, "40", "EUR"))
        .thenRejected(BUSINESS_RULE, "insufficient-funds");
    account
        .when(leg(AccountCommand.Leg.CREDIT, "1.5", "EUR"))
        .thenEvents(new MoneyDeposited(amount("1.50"), "t1", "other"));
  }

  @Test
  void shouldTakeARefundEvenWhenClosedButNotCreditAClosedAccount() {
    account.given(OPENED, new MoneyWithdrawn(amount("10.00")), new AccountClosed("done"));
    account
        .when(leg(AccountCommand.Leg.CREDIT, "1", "EUR"))
        .thenRejected(BUSINESS_RULE, "account-closed");
    account
        .when(leg(AccountCommand.Leg.REFUND, "10", "EUR"))
        .thenEvents(new MoneyDeposited(amount("10.00"), "t1", "other"));
  }
}
